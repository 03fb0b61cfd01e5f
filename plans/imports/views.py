"""Upload plan documents, follow their reading, review and confirm them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.files import DOCUMENT_KINDS
from core.views import show_errors
from org.access import Action, can
from org.shortcuts import current_unit_or_404, visible_or_404
from plans.imports import review, services
from plans.imports.models import DocumentImport, ImportBatch, ImportStatus


@login_required
def upload(request):
    unit = current_unit_or_404(request)
    if not can(request.user, Action.EDIT, unit):
        raise PermissionDenied(_("Only the CCHC focal officer of the unit imports plans."))
    if request.method == "POST":
        try:
            outcome = services.create_batch(unit, request.FILES.getlist("files"), request.user)
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            for line in outcome.refused:
                messages.error(request, line)
            if outcome.batch is not None:
                return redirect("import_batch", pk=outcome.batch.pk)
    return render(
        request,
        "plans/imports/upload.html",
        {"unit": unit, "recent": services.recent_batches(unit), "kinds": sorted(DOCUMENT_KINDS)},
    )


@login_required
def batch_page(request, pk: int):
    batch = visible_or_404(request, ImportBatch.objects.select_related("unit"), pk, Action.EDIT)
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
    name = "_batch_progress" if request.htmx else "batch"
    return render(request, f"plans/imports/{name}.html", context)


@login_required
def review_page(request, pk: int):
    documents = DocumentImport.objects.select_related("batch__unit")
    document = visible_or_404(request, documents, pk, Action.EDIT)
    if document.status == ImportStatus.SAVED and document.plan_id:
        return redirect("plan_detail", pk=document.plan_id)
    if document.status != ImportStatus.READY:
        return redirect("import_batch", pk=document.batch_id)
    data = document.draft
    errors: dict[str, list[str]] = {}
    post = request.POST if request.method == "POST" else None
    if request.method == "POST":
        data = review.apply_edits(data, request.POST)
        if request.POST.get("action") == "confirm":
            try:
                plan = review.confirm_form(document, data, request.POST, request.user)
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                messages.success(
                    request,
                    _("The plan was saved from %(name)s.") % {"name": document.original_name},
                )
                return redirect("plan_detail", pk=plan.pk)
        else:
            review.keep_edits(document, data)
            messages.success(request, _("Corrections kept; nothing is saved as a plan yet."))
    context = review.page_context(document, data, errors, post, request.user)
    return render(request, "plans/imports/review.html", context)
