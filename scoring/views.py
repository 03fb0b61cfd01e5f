"""Pages of the PAR index. Permissions from org.access; rules from scoring.services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core import clock, versions
from core.files import UploadRejected
from core.fragments import render_rows
from core.numbers import format_number
from core.views import XLSX, deny, download, errors_to_form, show_errors, stored_file
from org.access import (
    Action,
    can,
    filter_visible,
    granted_units,
    headed_departments,
    is_system_admin,
    visible_units,
)
from org.middleware import get_current_unit
from org.models import Unit, UnitLevel, User
from org.shortcuts import check_visible, current_unit_or_404, visible_or_404
from scoring import excel, services
from scoring.forms import AddCommunesForm, CriterionForm, FrameworkForm, PeriodForm, SetForm
from scoring.models import (
    PARTS_LATE,
    Assessment,
    AssessmentStatus,
    Assignment,
    CriteriaSet,
    Criterion,
    DeadlineStage,
    Decision,
    EvidenceStage,
    Framework,
    Period,
    PeriodAudience,
    PeriodKind,
    ProposalChoice,
    Rule,
    Score,
    ScoreEvidence,
    Source,
)
from scoring.services import grid, rules
from scoring.tasks import refresh_period_proposals


def _assessment_for(request, pk: int) -> Assessment:
    return visible_or_404(
        request,
        Assessment.objects.select_related("unit", "period__framework", "criteria_set"),
        pk,
    )


def _framework_for(request, pk: int) -> Framework:
    framework = get_object_or_404(Framework.objects.select_related("province"), pk=pk)
    unit = get_current_unit(request)
    if not (
        can(request.user, Action.VIEW, framework)
        or (unit is not None and unit.province_id == framework.province_id)
    ):
        raise Http404
    return framework


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@login_required
def home(request):
    unit = current_unit_or_404(request)
    frameworks = Framework.objects.filter(province_id=unit.province_id).prefetch_related("periods")
    assessments = {}
    if unit.level == UnitLevel.COMMUNE:
        assessments = {
            a.period_id: a for a in Assessment.objects.filter(unit=unit).select_related("period")
        }
    queue = []
    if unit.level == UnitLevel.PROVINCE and can(request.user, Action.VIEW, unit):
        # The province's work: submissions to appraise, answers to read, results to close.
        queue = (
            Assessment.objects.filter(unit__province_id=unit.pk)
            .exclude(status__in=[AssessmentStatus.DRAFT, AssessmentStatus.APPROVED])
            .select_related("unit", "period")
            .annotate(late_parts=Count("submissions", filter=PARTS_LATE))
            .order_by("status", "unit__name")
        )
    rows = []
    for framework in frameworks:
        for period in framework.periods.all():
            if (
                unit.level == UnitLevel.COMMUNE
                and period.pk not in assessments
                and period.opened_for != PeriodAudience.ALL
            ):
                continue  # not opened yet, or opened for other communes
            rows.append((framework, period, assessments.get(period.pk)))
    return render(
        request,
        "scoring/home.html",
        {
            "unit": unit,
            "rows": rows,
            "queue": queue,
            "frameworks": frameworks,
            "is_commune": unit.level == UnitLevel.COMMUNE,
            "can_edit": can(request.user, Action.EDIT, unit),
            "is_admin": is_system_admin(request.user),
            **_province_tools(request, unit, frameworks),
        },
    )


@login_required
@require_POST
def open_assessment(request, pk: int):
    period = get_object_or_404(Period.objects.select_related("framework"), pk=pk)
    unit = get_current_unit(request)
    if unit is None or not can(request.user, Action.MANAGE, unit):
        raise deny()
    if period.framework.province_id != unit.province_id:
        raise Http404  # another province's period
    try:
        assessment = services.open_assessment(period, unit)
    except ValidationError as exc:
        show_errors(request, exc)
        return redirect("scoring_home")
    return redirect("scoring_assessment", pk=assessment.pk)


# --- frameworks ------------------------------------------------------------------------------


@login_required
def framework_detail(request, pk: int):
    framework = _framework_for(request, pk)
    sets = framework.sets.prefetch_related("criteria")
    return render(
        request,
        "scoring/framework.html",
        {
            "framework": framework,
            "sets": sets,
            "can_manage": can(request.user, Action.ISSUE, framework),
            "periods": framework.periods.annotate(opened=Count("assessments")),
            "set_form": SetForm(taken={s.group for s in sets}),
        },
    )


@login_required
def framework_export(request, pk: int):
    framework = _framework_for(request, pk)
    return download(
        excel.export_framework(framework),
        XLSX,
        f"bo-tieu-chi-{framework.province.code}-{framework.year}.xlsx",
    )


@login_required
@require_POST
def framework_import(request, pk: int):
    framework = _framework_for(request, pk)
    _issue_or_deny(request, framework)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
    else:
        try:
            count = excel.import_framework(framework, upload.name, upload)
        except UploadRejected as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            messages.success(request, _("%(n)d criteria imported.") % {"n": count})
    return redirect("scoring_framework", pk=framework.pk)


@login_required
@require_POST
def framework_copy(request, pk: int):
    framework = _framework_for(request, pk)
    _issue_or_deny(request, framework)
    try:
        new = services.copy_framework(framework, framework.year + 1)
    except ValidationError as exc:
        show_errors(request, exc)
        return redirect("scoring_framework", pk=framework.pk)
    messages.success(request, _("A copy for %(year)d was created.") % {"year": new.year})
    return redirect("scoring_framework", pk=new.pk)


# --- assignment ------------------------------------------------------------------------------


@login_required
def assignments(request, pk: int):
    """The commune assigns each criterion to a department (and people)."""
    framework = _framework_for(request, pk)
    unit = current_unit_or_404(request)
    if unit.province_id != framework.province_id or not unit.is_commune_level:
        raise Http404
    check_visible(request, unit)
    can_manage = can(request.user, Action.MANAGE, unit)
    criteria_set = services.set_for_unit(framework, unit)
    if criteria_set is None:
        raise Http404
    if request.method == "POST":
        check_visible(request, unit, Action.MANAGE)
        report = changes = None
        upload = request.FILES.get("document")
        try:
            if upload is not None:
                from ingest.documents import read_document

                text = read_document(upload.name, upload).text
                report = services.assign_from_document(unit, criteria_set, text)
            else:
                changes = services.save_assignments(
                    unit, criteria_set, _chosen_assignments(request.POST)
                )
        except UploadRejected as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            if report is not None:
                messages.success(
                    request,
                    _("%(n)d criteria assigned from the document; %(left)d left to assign by hand.")
                    % {"n": len(report.assigned), "left": len(report.unassigned)},
                )
                for name in report.unmatched_departments:
                    messages.warning(
                        request, _("Department not found in the commune: %(name)s") % {"name": name}
                    )
            elif changes.assigned or changes.unassigned:
                n, gone = changes.assigned, changes.unassigned
                messages.success(
                    request,
                    _("Assignments saved: %(assigned)s, %(unassigned)s.")
                    % {
                        "assigned": ngettext(
                            "%(n)d criterion assigned", "%(n)d criteria assigned", n
                        )
                        % {"n": n},
                        "unassigned": ngettext(
                            "%(n)d criterion unassigned", "%(n)d criteria unassigned", gone
                        )
                        % {"n": gone},
                    },
                )
            else:
                messages.info(request, _("No assignment was changed."))
            return redirect("scoring_assignments", pk=framework.pk)
    current = {
        a.criterion_id: a
        for a in Assignment.objects.filter(unit=unit, criterion__criteria_set=criteria_set)
        .select_related("department")
        .prefetch_related("people")
    }
    rows = []
    for criterion in criteria_set.criteria.all():
        assignment = current.get(criterion.pk)
        rows.append(
            {
                "criterion": criterion,
                "assignment": assignment,
                "people_ids": {p.pk for p in assignment.people.all()} if assignment else set(),
                "assignable": criterion.is_leaf and criterion.source != Source.SURVEY,
            }
        )
    return render(
        request,
        "scoring/assignments.html",
        {
            "framework": framework,
            "unit": unit,
            "rows": rows,
            "departments": unit.departments.filter(is_active=True),
            "people": User.objects.filter(unit=unit, is_active=True).order_by("full_name"),
            "unassigned": services.unassigned(unit, criteria_set),
            "can_manage": can_manage,
        },
    )


def _chosen_assignments(post: QueryDict) -> dict[int, tuple[int | None, list[int]]]:
    """{criterion id: (department id, people ids)} from the assignment form; "—" (no department)
    is None, which takes the criterion's assignment away."""
    chosen = {}
    for criterion_id in post.getlist("criterion"):
        if not criterion_id.isdigit():
            continue
        department = post.get(f"dep-{criterion_id}", "").strip()
        if department and not department.isdigit():
            continue  # not a choice the form offers: the criterion is left as it is
        chosen[int(criterion_id)] = (
            int(department) if department else None,
            [int(i) for i in post.getlist(f"people-{criterion_id}") if i.isdigit()],
        )
    return chosen


# --- assessment ------------------------------------------------------------------------------


def _roles(request, assessment: Assessment) -> dict:
    user = request.user
    return {
        "can_manage": can(user, Action.MANAGE, assessment),
        "can_approve": can(user, Action.APPROVE, assessment),
        "can_appraise": can(user, Action.APPRAISE, assessment),
        "head_of": headed_departments(user, assessment.unit_id),
    }


def _row(
    score: dict, department: str, problem_ids: set[int], actions, labels: dict[str, dict]
) -> dict:
    """What one row of the self-assessment table shows, as plain values (the row's cache key).
    `score`: a row of `services.score_rows`; `labels`: the proposal choices' and decisions'
    names in the page's language."""
    differs = score["appraised_points"] != score["self_points"]
    return {
        "id": score["pk"],
        "code": score["criterion__code"],
        "name": score["criterion__name"],
        "department": department,
        "max_points": score["criterion__max_points"],
        "bound": bool(score["criterion__rule"]),
        "proposed_points": score["proposed_points"],
        "proposal_figure": score["proposal_figure"],
        "proposal_choice": score["proposal_choice"],
        "proposal_choice_label": labels["proposal"].get(score["proposal_choice"], ""),
        "override_reason": score["override_reason"],
        "self_points": score["self_points"],
        "evidence": score["evidence_count"],
        "appraised_points": score["appraised_points"],
        "appraisal_reason": score["appraisal_reason"],
        "answer": score["answer"],
        "decision": score["decision"],
        "decision_label": labels["decision"].get(score["decision"], ""),
        "final_points": score["final_points"],
        "problem": score["pk"] in problem_ids,
        "may_answer": "answer" in actions and differs,
        "may_decide": bool(score["answer"]) and "close" in actions and not score["decision"],
    }


@login_required
def assessment_detail(request, pk: int):
    assessment = _assessment_for(request, pk)
    if services.refresh_if_stale(assessment):
        assessment.refresh_from_db()
    roles = _roles(request, assessment)
    department_id = request.GET.get("department")
    # criterion -> (department id, department name)
    department_of = {
        criterion_id: (department, name)
        for criterion_id, department, name in Assignment.objects.filter(
            unit=assessment.unit, criterion__criteria_set=assessment.criteria_set
        ).values_list("criterion_id", "department_id", "department__name")
    }
    chosen = None
    if department_id and department_id.isdigit():
        chosen = [c for c, (d, _name) in department_of.items() if d == int(department_id)]
    scores = services.score_rows(assessment, chosen)
    found = services.row_problems(scores)
    problem_ids = {p.score_id for p in found}
    if roles["head_of"] and not roles["can_manage"]:
        # A department head is shown what blocks the departments they head.
        theirs = {
            s["pk"]
            for s in scores
            if department_of.get(s["criterion_id"], (None, ""))[0] in roles["head_of"]
        }
        found = [p for p in found if p.score_id in theirs]
    step = services.next_step(assessment, request.user)
    appraised = assessment.status in (
        AssessmentStatus.APPRAISED,
        AssessmentStatus.ANSWERED,
        AssessmentStatus.CLOSED,
    )
    shared = {
        "appraised": appraised,
        # Each row links its criterion's page: reversed once, not 150 times.
        "score_base": reverse("scoring_score", args=[0]).removesuffix("0/"),
    }
    labels = {
        "proposal": {k: str(v) for k, v in ProposalChoice.choices},
        "decision": {k: str(v) for k, v in Decision.choices},
    }
    row_values = [
        _row(
            s,
            department_of.get(s["criterion_id"], (None, ""))[1],
            problem_ids,
            step.actions,
            labels,
        )
        for s in scores
    ]
    table = render_rows("scoring/_assessment_row.html", row_values, shared)
    items = render_rows("scoring/_problem_item.html", map(asdict, found), shared)
    return render(
        request,
        "scoring/assessment.html",
        {
            "assessment": assessment,
            "problems": found,
            "step": step,
            "rows": mark_safe("".join(table)),
            "problem_items": mark_safe("".join(items)),
            "extensions": assessment.extensions.select_related("granted_by"),
            "stages": DeadlineStage.choices,
            "today": clock.today(),
            "appraised": appraised,
            "submissions": assessment.submissions.select_related("department"),
            "departments": assessment.unit.departments.filter(is_active=True),
            "chosen_department": int(department_id)
            if department_id and department_id.isdigit()
            else None,
            "statuses": AssessmentStatus,
            "answering": assessment.status == AssessmentStatus.APPRAISED and roles["can_manage"],
            "score_base": shared["score_base"],
            **roles,
        },
    )


def _answers(post: QueryDict) -> dict[int, str]:
    return {
        int(key[7:]): value
        for key, value in post.items()
        if key.startswith("answer-") and key[7:].isdigit()
    }


def _finals(post: QueryDict) -> dict[int, Decimal | None]:
    return {
        int(key[6:]): services.to_decimal(value)
        for key, value in post.items()
        if key.startswith("final-") and key[6:].isdigit() and value.strip()
    }


def _leads(roles: dict) -> bool:
    return roles["can_manage"] or roles["can_approve"]


# A step of the assessment's workflow: who may take it, what it does, what is said after.
Step = tuple[Callable[[dict], bool], Callable[[Assessment, User, QueryDict], Any], str]
STEPS: dict[str, Step] = {
    "approve": (
        lambda roles: roles["can_approve"],
        lambda assessment, user, post: services.approve(assessment, user),
        gettext_lazy("The self-assessment is approved."),
    ),
    "submit": (
        _leads,
        lambda assessment, user, post: services.submit(assessment, user),
        gettext_lazy("Submitted to the province."),
    ),
    "withdraw": (
        _leads,
        lambda assessment, user, post: services.withdraw(assessment, user),
        gettext_lazy("The submission was withdrawn for correction."),
    ),
    "send_appraisal": (
        lambda roles: roles["can_appraise"],
        lambda assessment, user, post: services.send_appraisal(assessment, user),
        gettext_lazy("The appraisal was sent to the commune."),
    ),
    "answer": (
        lambda roles: roles["can_manage"],
        lambda assessment, user, post: services.answer_appraisal(assessment, user, _answers(post)),
        gettext_lazy("The answer was sent to the province."),
    ),
    "close": (
        lambda roles: roles["can_appraise"],
        lambda assessment, user, post: services.close(assessment, user, _finals(post)),
        gettext_lazy("Closed with final scores."),
    ),
    "extend": (
        lambda roles: roles["can_appraise"],
        lambda assessment, user, post: services.extend_deadline(
            assessment,
            user,
            stage=post.get("stage", ""),
            due=_required_date(post.get("due", "")),
            reason=post.get("reason", ""),
        ),
        gettext_lazy("The due date was moved for this commune."),
    ),
}


def _required_date(text: str) -> date:
    day = _parse_date(text)
    if day is None:
        raise ValidationError(_("Enter the new due date."))
    return day


def _department_step(request, assessment: Assessment, roles: dict, action: str) -> None:
    """A department hands in its scores; the focal officer accepts or returns them."""
    submission = get_object_or_404(
        assessment.submissions.select_related("department"), pk=request.POST.get("submission")
    )
    if action == "submit_department":
        if not (roles["can_manage"] or submission.department_id in roles["head_of"]):
            raise deny()
        services.submit_department(submission, request.user)
        messages.success(request, _("Scores handed in to the focal officer."))
        return
    if not roles["can_manage"]:
        raise deny()
    services.review_department(
        submission, request.user, accept=action == "accept", note=request.POST.get("note", "")
    )
    messages.success(request, _("Review saved."))


@login_required
@require_POST
def assessment_action(request, pk: int):
    """One step of the workflow, named by the "action" field."""
    assessment = _assessment_for(request, pk)
    roles = _roles(request, assessment)
    action = request.POST.get("action", "")
    try:
        if action in ("submit_department", "accept", "return"):
            _department_step(request, assessment, roles, action)
        elif action in STEPS:
            allowed, step, done = STEPS[action]
            if not allowed(roles):
                raise deny()
            if action == "close" and not request.POST.get("confirmed"):
                return _confirm_close(request, assessment)
            step(assessment, request.user, request.POST)
            messages.success(request, done)
        else:
            raise Http404
    except ValidationError as exc:
        show_errors(request, exc)
    return _back_from_step(request, assessment)


def _confirm_close(request, assessment: Assessment):
    """Closing is final: the appraiser sees what changes from the appraisal and confirms."""
    return render(
        request,
        "scoring/close_confirm.html",
        {
            "assessment": assessment,
            "closing": services.closing(assessment, _finals(request.POST)),
            "finals": _finals(request.POST).items(),
        },
    )


def _score_powers(user, score: Score) -> dict[str, bool]:
    """What this person may do on a criterion's page now; only these forms are shown."""
    assessment = score.assessment
    status = assessment.status
    commune = can(user, Action.EDIT, score) or can(user, Action.MANAGE, assessment)
    answer_open = assessment.answer_due is None or clock.today() <= assessment.answer_due
    appraiser = can(user, Action.APPRAISE, assessment)
    return {
        "can_edit": can(user, Action.EDIT, score)
        and status == AssessmentStatus.DRAFT
        and score.criterion.source != Source.SURVEY,
        "can_appraise": appraiser and status == AssessmentStatus.SUBMITTED,
        "can_answer": commune and status == AssessmentStatus.APPRAISED and answer_open,
        "can_decide": appraiser and status == AssessmentStatus.ANSWERED and bool(score.answer),
    }


def _add_evidence(request, score: Score) -> None:
    data = services.EvidenceData(
        title=request.POST.get("title", ""),
        document_number=request.POST.get("document_number", ""),
        document_date=_parse_date(request.POST.get("document_date", "")),
    )
    product = request.POST.get("task_evidence")
    upload = request.FILES.get("file")
    link = request.POST.get("link", "").strip()
    if product:
        from plans.models import Evidence

        linked = get_object_or_404(Evidence.objects.select_related("task__plan"), pk=product)
        services.link_task_evidence(score, request.user, linked, data)
    elif upload is not None:
        services.add_evidence_file(score, request.user, upload.name, upload, data)
    elif link:
        services.add_evidence_link(score, request.user, link, data)
    else:
        raise ValidationError(_("Choose a file, a link or a plan task's product."))


def _decide(request, score: Score) -> None:
    accept = request.POST.get("decision") == "accept"
    services.decide_answer(
        score,
        request.user,
        accept=accept,
        points=services.to_decimal(request.POST.get("points")) if accept else None,
        reason=request.POST.get("reason", ""),
    )


def _appraise(request, score: Score) -> None:
    points = services.to_decimal(request.POST.get("points"))
    if points is None:
        raise ValidationError(_("Enter the appraised score."))
    services.appraise_score(
        score, request.user, points=points, reason=request.POST.get("reason", "")
    )


# A form of the criterion's page: who may send it, what it does, what is said after.
SCORE_FORMS: dict[str, tuple[tuple[str, ...], Callable[[Any, Score], Any], Any]] = {
    "score": (
        ("can_edit",),
        lambda request, score: services.set_self_score(
            score,
            request.user,
            value=services.to_decimal(request.POST.get("value")),
            explanation=request.POST.get("explanation", ""),
            seen=versions.posted(request),
        ),
        gettext_lazy("Self-score saved."),
    ),
    "accept_proposal": (
        ("can_edit",),
        lambda request, score: services.accept_proposal(score, request.user),
        gettext_lazy("Proposed score accepted."),
    ),
    "override_proposal": (
        ("can_edit",),
        lambda request, score: services.override_proposal(
            score,
            request.user,
            value=services.to_decimal(request.POST.get("value")),
            reason=request.POST.get("reason", ""),
        ),
        gettext_lazy("Proposal overridden; your score and the reason are shown to the appraiser."),
    ),
    "evidence": (("can_edit", "can_answer"), _add_evidence, gettext_lazy("Evidence added.")),
    "remove_evidence": (
        ("can_edit", "can_answer"),
        lambda request, score: services.remove_evidence(
            get_object_or_404(score.evidence, pk=request.POST.get("evidence"))
        ),
        gettext_lazy("Evidence removed."),
    ),
    "appraise": (("can_appraise",), _appraise, gettext_lazy("Appraised score saved.")),
    "answer": (
        ("can_answer",),
        lambda request, score: services.save_answer(
            score, request.user, request.POST.get("answer", "")
        ),
        gettext_lazy("Answer saved; it is sent with the commune's answer."),
    ),
    "decide": (("can_decide",), _decide, gettext_lazy("Decision saved.")),
}


@login_required
def score_detail(request, pk: int):
    score = get_object_or_404(
        Score.objects.select_related(
            "criterion", "assessment__unit", "assessment__period__framework"
        ),
        pk=pk,
    )
    assessment = score.assessment
    check_visible(request, assessment)
    if request.method == "GET" and score.criterion.rule and services.refresh(assessment):
        score.refresh_from_db()
    powers = _score_powers(request.user, score)
    # A self-score refused because someone saved over it meanwhile comes back with both versions.
    conflict, kept = None, None
    if request.method == "POST":
        if request.POST.get("form") not in SCORE_FORMS:
            raise Http404
        needs, handle, done = SCORE_FORMS[request.POST["form"]]
        if not any(powers[p] for p in needs):
            raise deny()
        try:
            handle(request, score)
        except versions.EditConflict as exc:
            show_errors(request, exc)
            conflict = exc
            kept = {k: request.POST.get(k, "") for k in ("value", "explanation")}
            score.refresh_from_db()
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            messages.success(request, done)
        if conflict is None:
            return redirect("scoring_score", pk=score.pk)
    products = []
    if powers["can_edit"] or powers["can_answer"]:
        from plans.models import Evidence

        products = (
            Evidence.objects.filter(task__plan__unit=assessment.unit)
            .select_related("task")
            .order_by("-uploaded_at")[:100]
        )
    evidence = list(score.evidence.select_related("task_evidence"))
    return render(
        request,
        "scoring/score.html",
        {
            "score": score,
            "criterion": score.criterion,
            "assessment": assessment,
            "assignment": services.assignment_of(score),
            "evidence": [e for e in evidence if e.stage == EvidenceStage.SELF],
            "answer_evidence": [e for e in evidence if e.stage == EvidenceStage.ANSWER],
            "products": products,
            "tiers": services.tiers_text(score.criterion.tiers),
            "step": services.next_step(assessment, request.user),
            "version": conflict.version if conflict else services.score_version(score),
            "conflict": conflict,
            "kept": kept,
            "findings": services.findings_by_criterion(assessment).get(score.criterion_id, []),
            **powers,
        },
        status=409 if conflict else 200,
    )


@login_required
def evidence_download(request, pk: int):
    item = get_object_or_404(
        ScoreEvidence.objects.select_related("score__assessment", "task_evidence"), pk=pk
    )
    # Only the commune and its province's appraisers: never another commune.
    check_visible(request, item.score.assessment)
    stored = item.task_evidence.file if item.task_evidence_id else item.file
    if not stored:
        raise Http404
    return stored_file(stored, item.original_name)


# --- results ---------------------------------------------------------------------------------


@login_required
def results(request, pk: int):
    assessment = _assessment_for(request, pk)
    result = services.results(assessment)
    score_url = reverse("scoring_score", args=[0])
    areas = []
    for row in result.areas:
        top = row.criterion.max_points
        areas.append({"row": row, "percent": int(row.points / top * 100) if top else 0})
    return render(
        request,
        "scoring/results.html",
        {
            "assessment": assessment,
            "result": result,
            "areas": areas,
            "lost": [
                {
                    "code": r.criterion.code,
                    "name": r.criterion.name
                    if len(r.criterion.name) <= 110
                    else r.criterion.name[:109] + "…",
                    "url": f"{score_url[:-2]}{r.score.pk}/" if r.score else "",
                    "points": f"{format_number(r.points)}/{format_number(r.criterion.max_points)}",
                    "lost": format_number(r.lost),
                    "department": r.department.name if r.department else "—",
                }
                for r in result.points_lost()[:30]
            ],
            "departments": services.by_department(result),
            "people": services.by_person(result),
        },
    )


@login_required
def results_export(request, pk: int):
    assessment = _assessment_for(request, pk)
    return download(
        excel.export_results(assessment),
        XLSX,
        f"ket-qua-chi-so-cchc-{assessment.unit.code}-{assessment.period_id}.xlsx",
    )


@login_required
def ranking(request, pk: int):
    period = services.period_for_ranking(request.user, pk)
    result = services.ranking(period)
    top = max((r.assessment.index for r in result.rows), default=Decimal(100)) or Decimal(100)
    can_open = can(request.user, Action.VIEW, period.framework.province)
    own = granted_units(request.user)
    # Numbers formatted here once: 100 communes × the areas is a thousand cells.
    rows = [
        {
            "rank": r.rank,
            "name": r.assessment.unit.full_name,
            "own": r.assessment.unit_id in own,
            "link": (can_open or r.assessment.unit_id in own)
            and reverse("scoring_results", args=[r.assessment.pk]),
            "cells": [format_number(p) for p in r.area_points],
            "index": format_number(r.assessment.index),
            "status": r.assessment.get_status_display(),
            "late": r.assessment.submitted_late,
            "width": int(r.assessment.index / top * 100),
        }
        for r in result.rows
    ]
    return render(
        request,
        "scoring/ranking.html",
        {"period": period, "ranking": result, "rows": rows},
    )


@login_required
def ranking_export(request, pk: int):
    period = services.period_for_ranking(request.user, pk)
    return download(
        excel.export_ranking(services.ranking(period)), XLSX, f"xep-hang-{period.pk}.xlsx"
    )


# --- one-page scoring grid ---


def _back_from_step(request, assessment: Assessment):
    """After a workflow step, back to the page it was taken from (the one-page grid hands its
    department's scores in), else to the assessment."""
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("scoring_assessment", pk=assessment.pk)


def _grid_url(assessment_id: int, department: int | str | None, anchor: str = "") -> str:
    url = reverse("scoring_grid", args=[assessment_id])
    if department:
        url += f"?department={department}"
    return url + (f"#{anchor}" if anchor else "")


@login_required
def score_grid(request, pk: int):
    """A department's criteria scored on one page, each row saved by itself."""
    assessment = _assessment_for(request, pk)
    chosen = request.GET.get("department", "")
    table = grid.build(assessment, request.user, int(chosen) if chosen.isdigit() else None)
    return render(
        request,
        "scoring/grid.html",
        {
            "assessment": assessment,
            "grid": table,
            "summary": table.summary(),
            "products": grid.products(assessment) if table.editable else [],
            "may_hand_in": grid.may_hand_in(request.user, assessment, table.submission),
            "past_due": grid.past_due(assessment, table.submission),
            "department_id": table.department.pk if table.department else "",
        },
    )


def _grid_change(request, score: Score) -> str:
    """The change a grid row asks for, made through the services; what to say once done."""
    form = request.POST.get("form", "score")
    if form == "score":
        value = grid.reported_value(
            score.criterion, request.POST.get("value"), bool(request.POST.get("done"))
        )
        services.set_self_score(
            score,
            request.user,
            value=value,
            explanation=request.POST.get("explanation"),
            seen=versions.posted(request),
        )
        return _("Self-score saved.")
    if form == "evidence":
        data = services.EvidenceData(
            title=request.POST.get("title", ""),
            document_number=request.POST.get("document_number", ""),
            document_date=_parse_date(request.POST.get("document_date", "")),
        )
        product = request.POST.get("task_evidence", "")
        upload = request.FILES.get("file")
        if product.isdigit():
            from plans.models import Evidence

            linked = get_object_or_404(Evidence.objects.select_related("task__plan"), pk=product)
            services.link_task_evidence(score, request.user, linked, data)
        elif upload is not None:
            services.add_evidence_file(score, request.user, upload.name, upload, data)
        else:
            raise ValidationError(_("Choose a file or a plan task's product."))
        return _("Evidence added.")
    if form == "remove_evidence":
        chosen = request.POST.get("evidence", "")
        if not chosen.isdigit():
            raise Http404
        services.remove_evidence(get_object_or_404(score.evidence, pk=chosen))
        return _("Evidence removed.")
    raise Http404


def _grid_row(request, row: grid.Row, department: str, *, status: int = 200, **extra):
    """The row re-rendered for HTMX, with the top of the grid (points so far, what is left to
    complete) sent along out of band."""
    assessment = row.score.assessment
    shown = int(department) if department.isdigit() else None
    return render(
        request,
        "scoring/_grid_row.html",
        {
            "row": row,
            "assessment": assessment,
            "products": grid.products(assessment) if row.editable else [],
            "department_id": department,
            "summary": grid.summary(assessment, shown),
            "oob": True,
            **extra,
        },
        status=status,
    )


@login_required
@require_POST
def score_row(request, pk: int):
    """One row of the grid saved by itself: its self-score, or a piece of its evidence added or
    removed. Answers HTMX with the row; a plain form post goes back to the grid."""
    score = get_object_or_404(
        Score.objects.select_related(
            "criterion",
            "assessment__unit",
            "assessment__criteria_set",
            "assessment__period__framework",
        ),
        pk=pk,
    )
    check_visible(request, score.assessment)
    department = request.POST.get("department", "")
    department = department if department.isdigit() else ""  # the grid's, to go back to
    row = grid.row(score, request.user)
    if not row.editable:
        if request.htmx and can(request.user, Action.EDIT, score):
            # Locked meanwhile (handed in, approved): the row shows why, read-only.
            return _grid_row(request, row, department, status=403)
        raise deny()
    conflict, kept = None, None
    try:
        done = _grid_change(request, score)
    except ValidationError as exc:
        done, error = "", " ".join(exc.messages)
        if isinstance(exc, versions.EditConflict):
            # The row comes back with this person's input and the other's values beside it.
            conflict = exc
            kept = {k: request.POST.get(k, "") for k in ("value", "explanation", "done")}
            score.refresh_from_db()
    else:
        error = ""
    if request.htmx:
        return _grid_row(
            request,
            grid.row(score, request.user),
            department,
            saved=done,
            error=error,
            conflict=conflict,
            kept=kept,
            status=409 if conflict else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(_grid_url(score.assessment_id, department, f"score-{score.pk}"))


# --- the province's frameworks and periods ---


def _issue_or_deny(request, framework: Framework) -> None:
    """Only the province's appraisers (and the administrator) change its frameworks."""
    if not can(request.user, Action.ISSUE, framework):
        raise deny()


def _province_to_issue(request) -> Unit:
    """The current unit, when it is a province whose frameworks this person issues (else 403)."""
    unit = current_unit_or_404(request)
    if unit.level != UnitLevel.PROVINCE or not can(request.user, Action.ISSUE, unit):
        raise deny()
    return unit


def _suggested_year(frameworks) -> int:
    """Frameworks are issued late in the year before: next year, or the one after the last."""
    latest = max((f.year for f in frameworks), default=0)
    return max(clock.today().year + 1, latest + 1)


def _province_tools(request, unit: Unit, frameworks) -> dict:
    """The scoring home's links for the province's appraisers."""
    if unit.level != UnitLevel.PROVINCE:
        return {"can_issue": False, "can_list": False}
    frameworks = list(frameworks)
    return {
        "can_issue": can(request.user, Action.ISSUE, unit),
        "can_list": can(request.user, Action.VIEW, unit),
        "latest": frameworks[0] if frameworks else None,
        "next_year": _suggested_year(frameworks),
    }


@login_required
def framework_new(request):
    province = _province_to_issue(request)
    frameworks = Framework.objects.filter(province=province)
    form = FrameworkForm(
        request.POST or None, initial={"year": _suggested_year(frameworks), "decimals": 2}
    )
    if request.method == "POST" and form.is_valid():
        try:
            framework = services.create_framework(province, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The criteria framework was created."))
            return redirect("scoring_framework", pk=framework.pk)
    return render(request, "scoring/framework_form.html", {"form": form, "province": province})


@login_required
def framework_edit(request, pk: int):
    framework = _framework_for(request, pk)
    _issue_or_deny(request, framework)
    initial = {
        name: getattr(framework, name)
        for name in (
            "name",
            "decision_number",
            "decision_date",
            "decision_issuer",
            "decimals",
            "rounding",
        )
    }
    form = FrameworkForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_framework(framework, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The criteria framework was saved."))
            return redirect("scoring_framework", pk=framework.pk)
    return render(
        request,
        "scoring/framework_form.html",
        {"form": form, "framework": framework, "province": framework.province},
    )


@login_required
@require_POST
def criteria_set_add(request, pk: int):
    framework = _framework_for(request, pk)
    _issue_or_deny(request, framework)
    form = SetForm(request.POST, taken=set(framework.sets.values_list("group", flat=True)))
    if form.is_valid():
        try:
            services.add_set(framework, form.cleaned_data["group"], form.cleaned_data["name"])
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            messages.success(request, _("Criteria set added: add its criteria."))
    else:
        messages.error(request, _("Choose the group of units the criteria are for."))
    return redirect("scoring_framework", pk=framework.pk)


def _criterion_for(request, pk: int) -> Criterion:
    criterion = get_object_or_404(
        Criterion.objects.select_related("criteria_set__framework__province"), pk=pk
    )
    _framework_for(request, criterion.criteria_set.framework_id)
    _issue_or_deny(request, criterion.criteria_set.framework)
    return criterion


def _criterion_page(request, criteria_set: CriteriaSet, form, criterion=None):
    return render(
        request,
        "scoring/criterion_form.html",
        {
            "form": form,
            "criteria_set": criteria_set,
            "framework": criteria_set.framework,
            "criterion": criterion,
            "has_children": criterion is not None and not criterion.is_leaf,
            "in_use": services.in_use(criteria_set),
        },
    )


@login_required
def criterion_new(request, pk: int):
    criteria_set = get_object_or_404(
        CriteriaSet.objects.select_related("framework__province"), pk=pk
    )
    framework = _framework_for(request, criteria_set.framework_id)
    _issue_or_deny(request, framework)
    initial = {}
    parent = request.GET.get("parent", "")
    if parent.isdigit():
        above = criteria_set.criteria.filter(pk=parent).first()
        if above is not None:
            initial = {"code": f"{above.code}.", "kind": above.kind}
    form = CriterionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            criterion = services.save_criterion(criteria_set, form.data_row())
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Criterion %(code)s added.") % {"code": criterion.code})
            return redirect(_tree_url(framework, criterion))
    return _criterion_page(request, criteria_set, form)


def _tree_url(framework: Framework, criterion: Criterion | None = None) -> str:
    url = reverse("scoring_framework", args=[framework.pk])
    return f"{url}#criterion-{criterion.pk}" if criterion else url


@login_required
def criterion_edit(request, pk: int):
    criterion = _criterion_for(request, pk)
    criteria_set = criterion.criteria_set
    form = CriterionForm(request.POST or None, initial=CriterionForm.initial_of(criterion))
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_criterion(criteria_set, form.data_row(), criterion)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Criterion %(code)s saved.") % {"code": saved.code})
            return redirect(_tree_url(criteria_set.framework, saved))
    return _criterion_page(request, criteria_set, form, criterion)


@login_required
def criterion_rule(request, pk: int):
    """Bind a leaf criterion to a data rule, change its parameters or unbind it."""
    criterion = _criterion_for(request, pk)
    framework = criterion.criteria_set.framework
    rule = request.POST.get("rule", criterion.rule) if request.method == "POST" else criterion.rule
    if request.method == "POST":
        try:
            if not rule:
                services.unbind(framework, criterion)
                messages.success(
                    request,
                    _("Criterion %(code)s is scored by hand again.") % {"code": criterion.code},
                )
            else:
                services.bind(framework, criterion, rule, _params_of(request.POST, rule))
                messages.success(
                    request,
                    _("Criterion %(code)s now scores itself from the data.")
                    % {"code": criterion.code},
                )
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            return redirect(_tree_url(framework, criterion))
    return render(
        request,
        "scoring/criterion_rule.html",
        {
            "criterion": criterion,
            "framework": framework,
            "rule": rule,
            "rules": [
                {
                    "value": spec.rule,
                    "label": Rule(spec.rule).label,
                    "fits": criterion.method in spec.methods,
                    "fields": [
                        {
                            "param": param,
                            "name": _field_name(spec.rule, param.name),
                            "value": _shown_value(request, criterion, spec.rule, param),
                        }
                        for param in spec.params
                    ],
                }
                for spec in rules.RULES.values()
            ],
        },
    )


def _field_name(rule: str, param: str) -> str:
    return f"{rule}-{param}"


def _shown_value(request, criterion: Criterion, rule: str, param: rules.Param) -> str:
    """What a parameter's field holds: what was just sent, else what is saved for the rule."""
    if request.method == "POST":
        return request.POST.get(_field_name(rule, param.name), "")
    if criterion.rule != rule or param.name not in criterion.rule_params:
        return ""
    value = criterion.rule_params[param.name]
    return services.tiers_text(value) if param.kind == "tiers" else str(value)


def _params_of(post, rule: str) -> dict:
    """The chosen rule's parameters from their fields (tiers written as on the framework's
    criteria, "90%: 7; từ 80%: 5"); the rule checks them."""
    spec = rules.RULES.get(rule)
    params: dict = {}
    for param in spec.params if spec else ():
        text = post.get(_field_name(rule, param.name), "").strip()
        if text:
            params[param.name] = services.parse_tiers(text) if param.kind == "tiers" else text
    return params


@login_required
def criterion_delete(request, pk: int):
    """A criterion deleted with its sub-criteria, after the page listing them is confirmed."""
    criterion = _criterion_for(request, pk)
    framework = criterion.criteria_set.framework
    if request.method == "POST":
        try:
            codes = services.delete_criterion(criterion)
        except ValidationError as exc:
            show_errors(request, exc)
            return redirect(_tree_url(framework, criterion))
        messages.success(request, _("Deleted: %(codes)s.") % {"codes": ", ".join(codes)})
        return redirect(_tree_url(framework))
    return render(
        request,
        "scoring/criterion_delete.html",
        {
            "criterion": criterion,
            "framework": framework,
            "gone": services.subtree(criterion),
        },
    )


@login_required
def period_open(request, pk: int):
    """The province opens a period with its due dates, for every commune or those it ticks."""
    framework = _framework_for(request, pk)
    _issue_or_deny(request, framework)
    communes = services.communes_of(framework)
    planned = {p.kind: p for p in framework.periods.all()}
    kind = request.GET.get("kind", "")
    kind = (
        kind
        if kind in PeriodKind.values
        else next(
            (
                k
                for k in PeriodKind.values
                if k not in planned or planned[k].opened_for == PeriodAudience.PLANNED
            ),
            PeriodKind.SIX_MONTH,
        )
    )
    initial = {"kind": kind, "answer_days": 5, "everyone": True}
    if kind in planned:
        p = planned[kind]
        initial |= {
            "name": p.name,
            "department_due": p.department_due,
            "submission_due": p.submission_due,
            "answer_days": p.answer_days,
        }
    form = PeriodForm(request.POST or None, initial=initial, communes=communes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            period = services.open_period(
                framework,
                kind=data["kind"],
                name=data["name"] or services.default_name(data["kind"], framework.year),
                department_due=data["department_due"],
                submission_due=data["submission_due"],
                answer_days=data["answer_days"],
                communes=None if data["everyone"] else list(data["communes"]),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            n = period.assessments.count()
            messages.success(
                request,
                ngettext(
                    "The period is open: %(n)d commune may self-assess.",
                    "The period is open: %(n)d communes may self-assess.",
                    n,
                )
                % {"n": n},
            )
            return redirect(reverse("scoring_assessment_list") + f"?period={period.pk}")
    return render(
        request,
        "scoring/period_open.html",
        {"form": form, "framework": framework, "planned": planned},
    )


def _period_to_issue(request, pk: int) -> Period:
    period = get_object_or_404(Period.objects.select_related("framework__province"), pk=pk)
    _framework_for(request, period.framework_id)
    _issue_or_deny(request, period.framework)
    return period


@login_required
def period_communes(request, pk: int):
    """Communes left out of a period opened for some: their assessments opened too."""
    period = _period_to_issue(request, pk)
    communes = services.communes_of(period.framework).exclude(assessments__period=period)
    form = AddCommunesForm(request.POST or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        try:
            opened = services.add_communes(period, list(form.cleaned_data["communes"]))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d commune added to the period.",
                    "%(n)d communes added to the period.",
                    len(opened),
                )
                % {"n": len(opened)},
            )
            return redirect(reverse("scoring_assessment_list") + f"?period={period.pk}")
    return render(
        request,
        "scoring/period_communes.html",
        {"form": form, "period": period, "framework": period.framework},
    )


@login_required
@require_POST
def period_close(request, pk: int):
    """Closing is final: the page first lists what the period leaves, then the appraiser
    confirms."""
    period = _period_to_issue(request, pk)
    if not request.POST.get("confirmed"):
        return render(
            request,
            "scoring/period_close_confirm.html",
            {
                "period": period,
                "framework": period.framework,
                "closing": services.period_closing(period),
            },
        )
    try:
        services.close_period(period)
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, _("The period “%(name)s” is closed.") % {"name": period.name})
    return redirect(_tree_url(period.framework) + "#periods")


@login_required
@require_POST
def period_refresh(request, pk: int):
    """The appraiser has every draft's proposals recomputed from the records, in the worker."""
    period = _period_to_issue(request, pk)
    try:
        services.refuse_if_period_closed(period.pk)
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        refresh_period_proposals.enqueue(period.pk)
        n = period.assessments.filter(status=AssessmentStatus.DRAFT).count()
        messages.success(
            request,
            ngettext(
                "Queued: the proposals of %(n)d commune will be recomputed.",
                "Queued: the proposals of %(n)d communes will be recomputed.",
                n,
            )
            % {"n": n},
        )
    return redirect(_tree_url(period.framework) + "#periods")


ASSESSMENTS_PER_PAGE = 50


@login_required
def assessment_list(request):
    """The province's list of its communes' assessments, by commune and by status: one query
    for the page (units, periods and late parts read with it)."""
    province = current_unit_or_404(request)
    if province.level != UnitLevel.PROVINCE:
        raise Http404
    check_visible(request, province)
    communes = (
        visible_units(request.user)
        .filter(province_id=province.pk, level=UnitLevel.COMMUNE)
        .order_by("name")
    )
    periods = Period.objects.filter(framework__province=province).select_related("framework")
    rows = filter_visible(request.user, Assessment.objects.filter(unit__province_id=province.pk))
    chosen = {
        "unit": request.GET.get("unit", ""),
        "status": request.GET.get("status", ""),
        "period": request.GET.get("period", ""),
    }
    if chosen["unit"].isdigit():
        rows = rows.filter(unit_id=chosen["unit"])
    if chosen["status"] in AssessmentStatus.values:
        rows = rows.filter(status=chosen["status"])
    if chosen["period"].isdigit():
        rows = rows.filter(period_id=chosen["period"])
    rows = (
        rows.select_related("unit", "period__framework")
        .annotate(late_parts=Count("submissions", filter=PARTS_LATE))
        .order_by("-period__framework__year", "-period__submission_due", "unit__name")
    )
    page = Paginator(rows, ASSESSMENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = QueryDict(mutable=True)
    query.update({k: v for k, v in chosen.items() if v})
    return render(
        request,
        "scoring/assessment_list.html",
        {
            "province": province,
            "page": page,
            "communes": communes,
            "periods": periods,
            "statuses": AssessmentStatus.choices,
            "chosen": chosen,
            "query": query.urlencode(),
        },
    )
