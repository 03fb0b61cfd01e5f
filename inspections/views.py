"""Pages of inspections. Who may do what is asked of org.access; the rules are in
inspections.services."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core import clock
from core.files import UploadedFile, UploadRejected
from core.pdf import docx_to_pdf
from core.views import (
    DOCX,
    deny,
    download,
    errors_to_form,
    pdf_download,
    save_posted,
    save_versioned,
    show_errors,
    stored_file,
    uploads,
)
from ingest.documents import read_document
from ingest.inspection_text import parse_inspection_blocks, parse_inspection_text
from inspections import forms, services
from inspections.models import (
    REMEDIATED,
    Attachment,
    Finding,
    FindingStatus,
    InspectionPlan,
    Result,
    Round,
    RoundKind,
    RoundStatus,
    Severity,
    Subject,
)
from org.access import Action, can, headed_departments
from org.models import Department
from org.shortcuts import check_visible, current_unit_or_404, visible_or_404
from plans import province as plan_lists
from plans.forms import CommuneFilterForm

_PLANS = InspectionPlan.objects.select_related("unit")
_ROUNDS = Round.objects.select_related("plan__unit")
_FINDINGS = Finding.objects.select_related(
    "round__plan__unit",
    "department",
    "responsible_department",
    "responsible_person",
    "item__area",
    "task__area",
)


def _managed_unit(request):
    """The current unit, when the person organises its inspections (its focal officer)."""
    unit = current_unit_or_404(request)
    if not can(request.user, Action.MANAGE, unit):
        raise deny()
    return unit


def _refused(request, exc: UploadRejected) -> None:
    messages.error(request, _("Nothing was saved: %(reason)s") % {"reason": exc})


def _attempt(request, done: str, step, *args, **kwargs):
    """Run a service step: its result, with `done` shown; None, with the reasons shown, if it
    was refused."""
    try:
        result = step(*args, **kwargs)
    except UploadRejected as exc:
        _refused(request, exc)
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, done)
        return result
    return None


# --- home: calendar and figures --------------------------------------------------------------


@login_required
def home(request):
    unit = current_unit_or_404(request)
    on = clock.today()
    try:
        year = int(request.GET.get("year", on.year))
    except ValueError:
        year = on.year
    plans = list(InspectionPlan.objects.filter(unit=unit))
    rounds = list(
        Round.objects.filter(plan__unit=unit, start__year=year)
        .select_related("plan")
        .order_by("start")
    )
    months: dict[int, list[Round]] = defaultdict(list)
    for r in rounds:
        r.overdue = r.is_overdue(on)
        months[r.start.month].append(r)
    findings = services.unit_findings(unit)
    stats = services.remediation_stats(findings.filter(round__start__year=year), on=on)
    mine = _my_work(request.user, unit, on)
    return render(
        request,
        "inspections/home.html",
        {
            "unit": unit,
            "year": year,
            "plans": plans,
            "calendar": [(m, date(year, m, 1), months.get(m, [])) for m in range(1, 13)],
            "stats": stats,
            "can_manage": can(request.user, Action.MANAGE, unit),
            "mine": mine,
            "today": on,
        },
    )


def _my_work(user, unit, on: date) -> dict:
    headed = headed_departments(user, unit)
    subjects = (
        Subject.objects.filter(round__plan__unit=unit, submitted_at__isnull=True)
        .filter(round__start__gte=on)
        .filter(Q(department_id__in=headed) | Q(person=user))
        .select_related("round__plan", "department")
    )
    findings = (
        services.unit_findings(unit)
        .exclude(status__in=REMEDIATED)
        .filter(Q(responsible_department_id__in=headed) | Q(responsible_person=user))
        .select_related("responsible_department")
    )
    return {
        "self_checks": [(s, services.self_check_state(s, on)) for s in subjects],
        "findings": findings,
    }


# --- plans -----------------------------------------------------------------------------------


@login_required
def plan_create(request):
    unit = _managed_unit(request)
    templates = services.templates_for(unit)
    form = forms.PlanForm(request.POST or None, unit=unit, templates=templates)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        template = data.pop("template")
        plan = _attempt(
            request,
            _("Inspection plan saved."),
            services.create_plan,
            unit,
            template=template,
            **data,
        )
        if plan is not None:
            return redirect("inspection_plan_detail", pk=plan.pk)
    return render(request, "inspections/plan_form.html", {"form": form, "unit": unit})


@login_required
def plan_edit(request, pk: int):
    plan = visible_or_404(request, _PLANS, pk, Action.MANAGE)
    form = forms.PlanForm(request.POST or None, instance=plan, unit=plan.unit, templates=None)
    valid = request.method == "POST" and form.is_valid()
    if valid and _attempt(
        request, _("Inspection plan saved."), services.update_plan, plan, **form.cleaned_data
    ):
        return redirect("inspection_plan_detail", pk=plan.pk)
    return render(
        request, "inspections/plan_form.html", {"form": form, "unit": plan.unit, "plan": plan}
    )


@login_required
def plan_import(request):
    unit = _managed_unit(request)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            document = read_document(upload.name, upload)
            if document.kind == "txt":
                draft = parse_inspection_text(document.text)
            else:
                draft = parse_inspection_blocks(document.blocks)
            if not draft.areas:
                raise UploadRejected(
                    _("No checklist was found in this document: is it an inspection plan?")
                )
            upload.seek(0)
            outcome = services.create_plan_from_draft(
                unit, draft, source=UploadedFile(upload.name, upload)
            )
        except UploadRejected as exc:
            form.add_error("file", str(exc))
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            plan = outcome.plan
            messages.success(
                request,
                _(
                    "Imported: %(areas)d areas, %(items)d checklist items, %(rounds)d rounds. "
                    "Check them, then add the team and the departments inspected."
                )
                % {
                    "areas": plan.areas.count(),
                    "items": draft.item_count,
                    "rounds": len(outcome.rounds),
                },
            )
            for name in outcome.unmatched:
                messages.warning(
                    request,
                    _("Department not found in the directory: %(name)s") % {"name": name},
                )
            return redirect("inspection_plan_detail", pk=plan.pk)
    return render(request, "inspections/plan_import.html", {"form": form, "unit": unit})


@login_required
def plan_detail(request, pk: int):
    plan = visible_or_404(request, _PLANS, pk)
    return _plan_page(request, plan, forms.RoundForm(initial={"kind": RoundKind.PERIODIC}))


def _plan_page(request, plan: InspectionPlan, round_form: forms.RoundForm):
    on = clock.today()
    rounds = list(plan.rounds.order_by("start"))
    for r in rounds:
        r.overdue = r.is_overdue(on)
    findings = Finding.objects.filter(round__plan=plan)
    return render(
        request,
        "inspections/plan_detail.html",
        {
            "plan": plan,
            "areas": plan.areas.prefetch_related("items"),
            "rounds": rounds,
            "stats": services.remediation_stats(findings, on=on),
            "can_manage": can(request.user, Action.MANAGE, plan),
            "round_form": round_form,
            "round_form_open": round_form.is_bound,
            "target_form": forms.TargetLinkForm(
                unit=plan.unit, initial={"cchc_plan_target": plan.on_time_target}
            ),
            "adhoc_contents": [c for c in plan.adhoc_contents.splitlines() if c.strip()],
        },
    )


@login_required
def round_create(request, pk: int):
    plan = visible_or_404(request, _PLANS, pk, Action.MANAGE)
    if request.method != "POST":  # the address opened directly: the plan, at its rounds
        return redirect(reverse("inspection_plan_detail", args=[plan.pk]) + "#rounds")
    form = forms.RoundForm(request.POST)
    round_ = save_posted(request, form, lambda: services.add_round(plan, **form.cleaned_data))
    if round_ is not None:
        messages.success(request, _("Round added."))
        return redirect("inspection_round_detail", pk=round_.pk)
    # Refused: the form comes back as typed, with the reason beside the field.
    return _plan_page(request, plan, form)


@login_required
def plan_target(request, pk: int):
    plan = visible_or_404(request, _PLANS, pk, Action.MANAGE)
    if request.method != "POST":
        return redirect(reverse("inspection_plan_detail", args=[plan.pk]) + "#figures")
    form = forms.TargetLinkForm(request.POST, unit=plan.unit)
    if form.is_valid():
        services.link_target(plan, form.cleaned_data["cchc_plan_target"])
        if plan.on_time_target is not None and "measure" in request.POST:
            _attempt(
                request,
                _("The share was recorded on the plan target."),
                services.record_on_time_share,
                plan,
                request.user,
            )
        else:
            messages.success(request, _("Saved."))
    return redirect(reverse("inspection_plan_detail", args=[plan.pk]) + "#figures")


@login_required
def plan_summary(request, pk: int):
    plan = visible_or_404(request, _PLANS, pk)
    on = clock.today()
    rounds = list(plan.rounds.all())
    return render(
        request,
        "inspections/summary.html",
        {
            "plan": plan,
            "departments": services.department_summary(rounds, on=on),
            "people": services.person_summary(rounds, on=on),
        },
    )


# --- rounds ----------------------------------------------------------------------------------


@login_required
def round_detail(request, pk: int):
    round_ = visible_or_404(request, _ROUNDS, pk)
    return _round_page(request, round_)


def _notice_form(round_: Round, data=None) -> forms.NoticeForm:
    return forms.NoticeForm(
        data,
        signers=services.notice_signers(round_.plan.unit),
        initial={
            "assessment": round_.assessment,
            "conclusion_number": round_.conclusion_number,
            "notice_on": round_.notice_on,
            "signer": round_.signer_id,
            "signer_capacity": round_.signer_capacity,
        },
    )


def _round_page(request, round_: Round, *, notice_form=None, typed=None, status=200):
    plan = round_.plan
    on = clock.today()
    areas, grid = services.checklist_grid(round_, on=on)
    findings = round_.findings.select_related("department", "responsible_department", "item__area")
    manage = can(request.user, Action.MANAGE, plan)
    conclude_refusal = services.conclude_refusal(round_, on)
    statuses = [
        (value, label)
        for value, label in RoundStatus.choices
        if value != RoundStatus.CONCLUDED or not conclude_refusal or value == round_.status
    ]
    return render(
        request,
        "inspections/round_detail.html",
        {
            "round": round_,
            "plan": plan,
            "areas": areas,
            "grid": grid,
            "team": round_.team.select_related("user"),
            "findings": findings,
            "stats": services.remediation_stats(findings, on=on),
            "today": on,
            "overdue": round_.is_overdue(on),
            "can_manage": manage,
            "is_team": can(request.user, Action.INSPECT, round_),
            "team_form": forms.TeamMemberForm(unit=plan.unit) if manage else None,
            "subject_form": forms.SubjectForm(plan=plan) if manage else None,
            "notice_form": notice_form or _notice_form(round_),
            "typed": typed or {},
            "statuses": statuses,
            "conclude_refusal": conclude_refusal if round_.status != RoundStatus.CONCLUDED else "",
            "deletion_refusal": services.deletion_refusal(round_) if manage else "",
        },
        status=status,
    )


@login_required
def round_update(request, pk: int):
    round_ = visible_or_404(request, _ROUNDS, pk)
    if not (can(request.user, Action.MANAGE, round_) or can(request.user, Action.INSPECT, round_)):
        raise deny()
    if request.method != "POST":  # the address opened directly: the round's page
        return redirect("inspection_round_detail", pk=round_.pk)
    notice_form = _notice_form(round_, request.POST if "assessment" in request.POST else None)
    try:
        with transaction.atomic():  # all or nothing: dates, status and the notice together
            if "start" in request.POST:
                form = forms.RoundForm(
                    {**request.POST.dict(), "kind": round_.kind, "name": round_.name}
                )
                if not form.is_valid():
                    raise ValidationError(_("Enter the dates as dd/mm/yyyy."))
                services.change_round_dates(
                    round_,
                    form.cleaned_data["start"],
                    form.cleaned_data["end"],
                    late_self_check_ok=form.cleaned_data["late_self_check_ok"],
                )
            if "status" in request.POST:
                services.move_round(round_, request.POST["status"])
            if notice_form.is_bound:
                if not notice_form.is_valid():
                    raise ValidationError(_("Check the conclusion's fields."))
                data = notice_form.cleaned_data
                services.write_assessment(
                    round_,
                    data["assessment"],
                    data["conclusion_number"],
                    signer=data["signer"],
                    signer_capacity=data["signer_capacity"],
                    notice_on=data["notice_on"],
                )
    except ValidationError as exc:
        round_.refresh_from_db()
        if notice_form.is_bound and hasattr(exc, "error_dict"):
            errors_to_form(notice_form, exc)
            extra = {k: v for k, v in exc.message_dict.items() if k not in notice_form.fields}
            for errors in extra.values():
                for error in errors:
                    messages.error(request, error)
        else:
            show_errors(request, exc)
        typed = {k: request.POST.get(k, "") for k in ("start", "end", "status")}
        typed["late_self_check_ok"] = bool(request.POST.get("late_self_check_ok"))
        return _round_page(request, round_, notice_form=notice_form, typed=typed)
    messages.success(request, _("Saved."))
    return redirect("inspection_round_detail", pk=round_.pk)


@login_required
def round_delete(request, pk: int):
    """An empty round deleted by the focal officer, after a confirmation page."""
    round_ = visible_or_404(request, _ROUNDS, pk, Action.MANAGE)
    reason = services.deletion_refusal(round_)
    if request.method == "POST" and not reason:
        plan_pk, round_pk = round_.plan_id, round_.pk
        try:
            services.delete_round(round_, request.user)
        except ValidationError as exc:
            show_errors(request, exc)
            return redirect("inspection_round_detail", pk=round_pk)
        messages.success(request, _("Round deleted."))
        return redirect("inspection_plan_detail", pk=plan_pk)
    return render(request, "inspections/round_delete.html", {"round": round_, "reason": reason})


@login_required
def team_add(request, pk: int):
    round_ = visible_or_404(request, _ROUNDS, pk, Action.MANAGE)
    if request.method != "POST":
        return redirect(reverse("inspection_round_detail", args=[round_.pk]) + "#team")
    form = forms.TeamMemberForm(request.POST, unit=round_.plan.unit)
    if form.is_valid():
        _attempt(
            request, _("Team member added."), services.add_team_member, round_, **form.cleaned_data
        )
    return redirect(reverse("inspection_round_detail", args=[round_.pk]) + "#team")


@login_required
def subject_add(request, pk: int):
    round_ = visible_or_404(request, _ROUNDS, pk, Action.MANAGE)
    if request.method != "POST":
        return redirect(reverse("inspection_round_detail", args=[round_.pk]) + "#grid")
    form = forms.SubjectForm(request.POST, plan=round_.plan)
    if form.is_valid():
        data = form.cleaned_data
        _attempt(
            request,
            _("Department added to the round."),
            services.add_subject,
            round_,
            data["department"],
            areas=data["areas"],
            person=data["person"],
        )
    else:
        messages.error(request, _("Choose the department inspected."))
    return redirect(reverse("inspection_round_detail", args=[round_.pk]) + "#grid")


@login_required
def conclusion_document(request, pk: int):
    round_ = visible_or_404(request, _ROUNDS, pk)
    return download(
        services.conclusion_document(round_), DOCX, f"ket-luan-kiem-tra-{round_.pk}.docx"
    )


@login_required
def conclusion_pdf(request, pk: int):
    round_ = visible_or_404(request, _ROUNDS, pk)
    return pdf_download(
        request,
        lambda: docx_to_pdf(services.conclusion_document(round_)),
        f"ket-luan-kiem-tra-{round_.pk}.pdf",
        reverse("inspection_round_detail", args=[round_.pk]),
    )


# --- self-check ------------------------------------------------------------------------------


@login_required
def subject_detail(request, pk: int):
    """The inspected department's checklist: its own answers, then the team's verdicts."""
    subject = visible_or_404(
        request, Subject.objects.select_related("round__plan__unit", "department", "person"), pk
    )
    round_ = subject.round
    # The inspected department fills its own checklist (its head, the person in charge); the
    # focal officer may fill in for it.
    own = can(request.user, Action.MANAGE, subject) or can(request.user, Action.ANSWER, subject)
    team = can(request.user, Action.INSPECT, round_)
    # The department answers until it sends; the team gives verdicts once it has sent or the
    # round has begun (a department that never sent is still inspected).
    mode = ""
    if own and not subject.submitted_at:
        mode = "self"
    elif team and (subject.submitted_at or round_.status != RoundStatus.PLANNED):
        mode = "team"
    items = list(services.subject_items(subject).order_by("area__order", "order"))
    answers = {a.item_id: a for a in subject.answers.all()}
    typed: dict[int, tuple[str, str]] = {}
    file_error = ""
    note = subject.self_check_note
    if request.method == "POST":
        if not (own or team):
            raise deny()
        data = []
        for item in items:
            result = request.POST.get(f"r{item.pk}")
            if result is None or not mode:
                continue
            typed[item.pk] = (result, request.POST.get(f"n{item.pk}", ""))
            data.append(services.AnswerData(item, result, typed[item.pk][1]))
        note = request.POST.get("note", note)
        try:
            # Every file is checked before anything is written: a refused file saves nothing,
            # and the page comes back with everything as it was typed.
            services.save_answers(
                subject, request.user, data, as_team=mode == "team", files=uploads(request)
            )
            if request.POST.get("submit") == "1" and mode == "self":
                services.submit_self_check(subject, request.user, note=note)
                messages.success(request, _("Self-check sent to the inspection team."))
            else:
                messages.success(request, _("Answers saved."))
            return redirect("inspection_subject_detail", pk=subject.pk)
        except UploadRejected as exc:
            file_error = _(
                "Nothing was saved: %(reason)s Choose another file and send again; "
                "your answers are kept on this page."
            ) % {"reason": exc}
            messages.error(request, file_error)
        except ValidationError as exc:
            show_errors(request, exc)
    grouped: list[tuple[object, list[tuple]]] = []
    for item in items:
        if not grouped or grouped[-1][0] != item.area:
            grouped.append((item.area, []))
        answer = answers.get(item.pk)
        if item.pk in typed:
            chosen, item_note = typed[item.pk]
        elif answer is None:
            chosen, item_note = "", ""
        elif mode == "team":
            chosen, item_note = answer.team_result, answer.team_note
        else:
            chosen, item_note = answer.self_result, answer.self_note
        grouped[-1][1].append((item, answer, chosen, item_note))
    return render(
        request,
        "inspections/subject_detail.html",
        {
            "subject": subject,
            "round": round_,
            "grouped": grouped,
            "state": services.self_check_state(subject),
            "mode": mode,
            "can_attach": own or team,
            "results": [c for c in Result.choices if c[0]],
            "attachments": subject.attachments.filter(event__isnull=True),
            "note": note,
            "file_error": file_error,
        },
    )


@login_required
def attachment_download(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("round__plan"), pk=pk)
    check_visible(request, attachment.round)
    return stored_file(attachment.file, attachment.original_name)


# --- findings --------------------------------------------------------------------------------


def _finding_data(form: forms.FindingForm) -> services.FindingData:
    return services.FindingData(**form.cleaned_data)


@login_required
def finding_create(request, pk: int):
    round_ = visible_or_404(request, _ROUNDS, pk, Action.INSPECT)
    initial = {"severity": Severity.MEDIUM}
    if request.GET.get("department"):
        initial["department"] = request.GET["department"]
        initial["responsible_department"] = request.GET["department"]
    form = forms.FindingForm(request.POST or None, round_=round_, initial=initial)
    recorded = save_posted(
        request, form, lambda: services.record_finding(round_, request.user, _finding_data(form))
    )
    if recorded is not None:
        messages.success(request, _("Finding recorded."))
        if "another" in request.POST:
            return redirect("finding_create", pk=round_.pk)
        return redirect("inspection_round_detail", pk=round_.pk)
    return render(
        request, "inspections/finding_form.html", {"form": form, "round": round_, "finding": None}
    )


@login_required
def finding_edit(request, pk: int):
    finding = visible_or_404(request, _FINDINGS, pk, Action.INSPECT)
    initial = {name: getattr(finding, name) for name in forms.FindingForm.base_fields}
    form = forms.FindingForm(
        request.POST or None, round_=finding.round, current=finding, initial=initial
    )
    edit = save_versioned(
        request,
        form,
        lambda: services.finding_version(finding),
        lambda seen: services.update_finding(finding, request.user, _finding_data(form), seen=seen),
    )
    if edit.done:
        messages.success(request, _("Finding saved."))
        return redirect("finding_detail", pk=finding.pk)
    return render(
        request,
        "inspections/finding_form.html",
        {
            "form": form,
            "round": finding.round,
            "finding": finding,
            "version": edit.version,
            "conflict": edit.conflict,
        },
        status=edit.status,
    )


@login_required
def finding_detail(request, pk: int):
    finding = visible_or_404(request, _FINDINGS, pk)
    return _finding_page(request, finding, forms.ResponseForm())


def _finding_page(request, finding: Finding, response_form: forms.ResponseForm):
    on = clock.today()
    events = finding.events.select_related("by").prefetch_related("attachments")
    return render(
        request,
        "inspections/finding_detail.html",
        {
            "finding": finding,
            "round": finding.round,
            "events": events,
            "overdue": finding.is_overdue(on),
            "can_answer": can(request.user, Action.ANSWER, finding)
            and finding.status not in REMEDIATED,
            "is_team": can(request.user, Action.INSPECT, finding),
            "response_form": response_form,
            "has_evidence": services.evidence_of(finding).exists(),
            "statuses": FindingStatus,
        },
    )


@login_required
def finding_respond(request, pk: int):
    finding = visible_or_404(request, _FINDINGS, pk, Action.ANSWER)
    if request.method != "POST":  # the address opened directly: the finding's page
        return redirect("finding_detail", pk=finding.pk)
    form = forms.ResponseForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            # All or nothing: a refused file records no answer; the text typed stays on the page.
            services.respond(
                finding, request.user, form.cleaned_data["text"], files=uploads(request)
            )
        except UploadRejected as exc:
            form.add_error(
                "files",
                _("Nothing was sent: %(reason)s Choose another file and send again.")
                % {"reason": exc},
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Answer sent to the inspection team."))
            return redirect("finding_detail", pk=finding.pk)
    return _finding_page(request, finding, form)


@login_required
def finding_action(request, pk: int, action: str):
    finding = visible_or_404(request, _FINDINGS, pk, Action.INSPECT)
    if request.method != "POST":
        return redirect("finding_detail", pk=finding.pk)
    text = request.POST.get("text", "")
    steps = {
        "verify": (services.verify, _("Fix verified.")),
        "return": (services.return_finding, _("Returned to the department.")),
        "close": (services.close_finding, _("Finding closed.")),
        "reopen": (services.reopen_finding, _("Finding reopened.")),
    }
    if action not in steps:
        raise Http404
    step, done = steps[action]
    _attempt(request, done, step, finding, request.user, text)
    return redirect("finding_detail", pk=finding.pk)


@login_required
def finding_list(request):
    unit = current_unit_or_404(request)
    on = clock.today()
    chosen = services.FindingFilter(
        state=request.GET.get("state", ""),
        department=_int(request.GET.get("department")),
        round=_int(request.GET.get("round")),
        severity=request.GET.get("severity", ""),
    )
    communes, commune, ignored = None, None, []
    if plan_lists.follows_communes(unit):
        # The province's view: the findings of every commune under it, one commune at a time
        # when chosen.
        communes = plan_lists.communes_under(request.user, unit)
        filters = CommuneFilterForm(request.GET, communes=communes)
        commune, ignored = filters.chosen()["commune"], filters.ignored
        found = services.communes_findings(request.user, communes, commune)
    else:
        found = services.unit_findings(unit)
    findings = services.filter_findings(
        found.select_related(
            "round__plan__unit", "department", "responsible_department", "item__area"
        ),
        chosen,
        on=on,
    )
    page = Paginator(findings, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "unit": unit,
        "findings": page.object_list,
        "page": page,
        "query": query.urlencode(),
        "chosen": chosen,
        "today": on,
        "stats": services.remediation_stats(findings, on=on),
        "communes": communes,
        "commune": commune,
        "ignored": ignored,
        "severities": Severity.choices,
    }
    if communes is None:
        context["departments"] = Department.objects.filter(unit=unit, is_active=True)
        context["rounds"] = Round.objects.filter(plan__unit=unit).order_by("-start")
    if request.htmx:
        return render(request, "inspections/_finding_table.html", context)
    return render(request, "inspections/finding_list.html", context)


def _int(value) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def department_view(request, pk: int):
    """What a department must fix, and the self-checks it owes."""
    department = visible_or_404(request, Department.objects.select_related("unit"), pk)
    on = clock.today()
    findings = Finding.objects.filter(responsible_department=department).select_related(
        "round", "department", "responsible_department", "item__area"
    )
    to_fix = findings.exclude(status__in=REMEDIATED)
    subjects = Subject.objects.filter(department=department).select_related("round__plan")
    return render(
        request,
        "inspections/department.html",
        {
            "department": department,
            "findings": to_fix,
            "done": findings.filter(status__in=REMEDIATED),
            "stats": services.remediation_stats(findings, on=on),
            "self_checks": [(s, services.self_check_state(s, on)) for s in subjects],
            "today": on,
        },
    )
