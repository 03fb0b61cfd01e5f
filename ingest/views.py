"""Upload plan documents, follow their reading, review and confirm them."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.files import UploadRejected, check_upload
from ingest import review
from ingest.deadlines import parse_deadline
from ingest.documents import DOCUMENT_KINDS
from ingest.models import DocumentImport, ImportBatch, ImportStatus
from ingest.targets import parse_target
from ingest.tasks import read_import_task
from org.access import Action, can
from org.middleware import get_current_unit
from org.services import DepartmentMatcher

MAX_FILES = 100


def _batch_for(request, pk: int) -> ImportBatch:
    batch = get_object_or_404(ImportBatch.objects.select_related("unit"), pk=pk)
    if not can(request.user, Action.EDIT, batch):
        raise Http404
    return batch


@login_required
def upload(request):
    unit = get_current_unit(request)
    if unit is None or not can(request.user, Action.EDIT, unit):
        raise PermissionDenied(_("Only the CCHC focal officer of the unit imports plans."))
    if request.method == "POST":
        files = request.FILES.getlist("files")
        if not files:
            messages.error(request, _("Choose one or more files."))
        elif len(files) > MAX_FILES:
            messages.error(request, _("At most %(n)d files at once.") % {"n": MAX_FILES})
        else:
            refused = []
            with transaction.atomic():
                batch = ImportBatch.objects.create(unit=unit, created_by=request.user)
                for upload in files:
                    try:
                        check_upload(upload.name, upload, DOCUMENT_KINDS)
                    except UploadRejected as exc:
                        refused.append(f"{upload.name}: {exc}")
                        continue
                    upload.seek(0)
                    document = DocumentImport(batch=batch, original_name=upload.name[:255])
                    document.file.save(upload.name, upload, save=True)
                    transaction.on_commit(lambda pk=document.pk: read_import_task.enqueue(pk))
            for line in refused:
                messages.error(request, line)
            if batch.documents.exists():
                return redirect("import_batch", pk=batch.pk)
            batch.delete()
    recent = ImportBatch.objects.filter(unit=unit).prefetch_related("documents")[:10]
    return render(
        request,
        "ingest/upload.html",
        {"unit": unit, "recent": recent, "kinds": sorted(DOCUMENT_KINDS)},
    )


@login_required
def batch_page(request, pk: int):
    batch = _batch_for(request, pk)
    documents = list(batch.documents.all())
    finished = sum(d.is_finished for d in documents)
    context = {
        "batch": batch,
        "documents": documents,
        "finished": finished,
        "total": len(documents),
        "percent": round(100 * finished / len(documents)) if documents else 100,
        "done": finished == len(documents),
    }
    template = "ingest/_batch_progress.html" if request.htmx else "ingest/batch.html"
    return render(request, template, context)


def _iso_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _review_context(document: DocumentImport, data: dict, errors: list[str]) -> dict:
    unit = document.batch.unit
    facts = data["facts"]
    start = _iso_day(facts.get("period_start"))
    end = _iso_day(facts.get("period_end"))
    departments = list(unit.departments.filter(is_active=True))
    matcher = DepartmentMatcher(unit, departments)
    tasks = []
    for i, task in enumerate(data.get("tasks", [])):
        parsed = parse_deadline(task.get("deadline_text", ""), period_start=start, period_end=end)
        lead = matcher.match(task.get("lead", "")) if task.get("lead") else None
        tasks.append(
            {
                "index": i,
                "data": task,
                "coordinators": "; ".join(task.get("coordinators", [])),
                "lead_department": lead,
                "deadline": parsed,
                "unsure": parsed.needs_review or lead is None or bool(task.get("warnings")),
            }
        )
    targets = []
    for i, target in enumerate(data.get("targets", [])):
        parsed = parse_target(target["text"])
        targets.append({"index": i, "data": target, "parsed": parsed})
    unknown = review.unknown_departments(unit, data)
    shown = dict(facts)
    for key in ("issued_on", "period_start", "period_end"):
        day = _iso_day(facts.get(key))
        shown[key] = day.strftime("%d/%m/%Y") if day else ""
    return {
        "document": document,
        "unit": unit,
        "data": data,
        "facts": shown,
        "tasks": tasks,
        "targets": targets,
        "departments": departments,
        "unknown": list(enumerate(unknown)),
        "errors": errors,
        "unsure_count": sum(t["unsure"] for t in tasks),
        "tasks_without_lead": any(not t["data"].get("lead") for t in tasks),
    }


@login_required
def review_page(request, pk: int):
    document = get_object_or_404(DocumentImport.objects.select_related("batch__unit"), pk=pk)
    if not can(request.user, Action.EDIT, document):
        raise Http404
    if document.status == ImportStatus.SAVED and document.plan_id:
        return redirect("plan_detail", pk=document.plan_id)
    if document.status != ImportStatus.READY:
        return redirect("import_batch", pk=document.batch_id)
    data = document.draft
    errors: list[str] = []
    if request.method == "POST":
        data = review.apply_edits(data, request.POST)
        if request.POST.get("action") == "confirm":
            unit = document.batch.unit
            names = review.unknown_departments(unit, document.draft)
            decisions = review.read_decisions(unit, names, request.POST)
            try:
                plan = review.confirm(document, data, decisions, request.user)
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(
                    request,
                    _("The plan was saved from %(name)s.") % {"name": document.original_name},
                )
                return redirect("plan_detail", pk=plan.pk)
        else:
            document.draft = data
            document.save(update_fields=["draft", "updated_at"])
            messages.success(request, _("Corrections kept; nothing is saved as a plan yet."))
    return render(request, "ingest/review.html", _review_context(document, data, errors))
