"""Pages of periodic reports. Permissions from org.access; rules from reports.services."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core import clock, versions
from core.pdf import docx_to_pdf
from core.views import DOCX, XLSX, deny, download, pdf_download, show_errors
from org.access import Action, Scope, can
from org.models import Unit
from org.shortcuts import current_unit_or_404, visible_or_404
from plans import province as plan_lists
from plans.models import Plan
from reports import documents, handoffs, province, services
from reports.forms import CommuneReportFilterForm
from reports.models import (
    Contribution,
    ContributionStatus,
    Report,
    ReportingPeriod,
    ReportStatus,
)


def _period_for(request, pk: int, action: Action = Action.VIEW) -> ReportingPeriod:
    periods = ReportingPeriod.objects.select_related("plan", "unit")
    return visible_or_404(request, periods, pk, action)


def _contribution_for(request, pk: int) -> Contribution:
    parts = Contribution.objects.select_related("period__plan", "period__unit", "department")
    return visible_or_404(request, parts, pk)


@login_required
def report_home(request):
    unit = current_unit_or_404(request)
    if plan_lists.follows_communes(unit):
        return _communes_reports(request, unit)
    plans = list(Plan.objects.counted().filter(unit=unit).order_by("-period_end", "-pk")[:6])
    can_manage = can(request.user, Action.MANAGE, Scope(unit_id=unit.pk))
    for plan in plans:
        services.ensure_periods(plan)
    periods = (
        ReportingPeriod.objects.filter(plan__in=plans)
        .select_related("plan", "report")
        .annotate(
            asked=Count("contributions"),
            accepted=Count(
                "contributions", filter=Q(contributions__status=ContributionStatus.ACCEPTED)
            ),
        )
        .order_by("-plan__period_end", "plan", "end")
    )
    mine = (
        Contribution.objects.filter(period__unit=unit)
        .filter(
            department__in=[
                g.department_id
                for g in request.user.grants.all()
                if g.unit_id == unit.pk and g.department_id
            ]
        )
        .exclude(status=ContributionStatus.ACCEPTED)
        .select_related("period", "department")
        .order_by("period__department_due")
    )
    return render(
        request,
        "reports/home.html",
        {
            "unit": unit,
            "periods": periods,
            "mine": mine,
            "can_manage": can_manage,
            "today": clock.today(),
        },
    )


def _communes_reports(request: HttpRequest, unit: Unit) -> HttpResponse:
    """The province's view: every commune's report of every period, the latest due first."""
    communes = plan_lists.communes_under(request.user, unit)
    today = clock.today()
    rows = province.commune_reports(request.user, communes, today)
    periods = province.period_choices(rows)
    filters = CommuneReportFilterForm(request.GET, communes=communes, periods=periods)
    chosen = filters.chosen()
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "unit": unit,
        "page": Paginator(province.filter_rows(rows, **chosen), 50).get_page(
            request.GET.get("page")
        ),
        "query": query.urlencode(),
        "chosen": chosen,
        "ignored": filters.ignored,
    }
    if request.htmx:
        return render(request, "reports/_province_table.html", context)
    context.update(
        communes=communes,
        periods=periods,
        states=province.ReportState.choices,
    )
    return render(request, "reports/province.html", context)


@login_required
def report_period(request, pk: int):
    period = _period_for(request, pk)
    can_manage = can(request.user, Action.MANAGE, period)
    if request.method == "POST":
        if not can_manage:
            raise deny()
        try:
            if "open" in request.POST:
                created = services.open_contributions(period)
                messages.success(
                    request,
                    _("%(count)d departments were asked for their part.") % {"count": len(created)},
                )
            else:
                services.change_due_dates(
                    period,
                    department_due=date.fromisoformat(request.POST.get("department_due", "")),
                    unit_due=date.fromisoformat(request.POST.get("unit_due", "")),
                )
                messages.success(request, _("Due dates saved."))
        except ValueError:
            messages.error(request, _("Enter the dates as dd/mm/yyyy."))
        except ValidationError as exc:
            show_errors(request, exc)
        return redirect("report_period", pk=period.pk)
    contributions = period.contributions.select_related("department", "submitted_by")
    report = Report.objects.filter(period=period).first()
    return render(
        request,
        "reports/period.html",
        {
            "period": period,
            "contributions": contributions,
            "missing": services.missing_contributions(period),
            "after_assembly": services.parts_after_assembly(report) if report else [],
            "report": report,
            "can_manage": can_manage,
            "today": clock.today(),
        },
    )


@login_required
def report_contribution(request, pk: int):
    contribution = _contribution_for(request, pk)
    period = contribution.period
    can_edit = can(request.user, Action.EDIT, contribution) and contribution.is_editable
    can_review = (
        can(request.user, Action.MANAGE, period)
        and contribution.status == ContributionStatus.SUBMITTED
    )
    sections = list(contribution.sections.select_related("area"))
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action in ("save", "submit"):
                if not can(request.user, Action.EDIT, contribution):
                    raise deny()
                texts = {
                    s.pk: services.SectionText(
                        **{
                            name: request.POST.get(f"{name}-{s.pk}", "")
                            for name in ("results", "figures", "difficulties", "proposals")
                        }
                    )
                    for s in sections
                }
                services.save_contribution(contribution, texts, seen=versions.posted(request))
                if action == "submit":
                    services.submit_contribution(
                        contribution,
                        request.user,
                        confirm_empty_areas=bool(request.POST.get("confirm_empty_areas")),
                    )
                    messages.success(request, _("Your part was sent for review."))
                else:
                    messages.success(request, _("Saved."))
            elif action in ("accept", "return"):
                if not can(request.user, Action.MANAGE, period):
                    raise deny()
                services.review_contribution(
                    contribution,
                    request.user,
                    accept=action == "accept",
                    reason=request.POST.get("reason", ""),
                )
                messages.success(
                    request,
                    _("The part was accepted.")
                    if action == "accept"
                    else _("The part was returned."),
                )
            elif action == "refill":
                if not can(request.user, Action.EDIT, contribution):
                    raise deny()
                services.refill_contribution(contribution)
                messages.success(request, _("The figures were taken again from the data."))
        except ValidationError as exc:
            show_errors(request, exc)
            conflict = exc if isinstance(exc, versions.EditConflict) else None
            return render(
                request,
                "reports/contribution.html",
                {
                    "contribution": contribution,
                    "period": period,
                    "sections": _with_posted(sections, request.POST),
                    "can_edit": can_edit,
                    "can_review": can_review,
                    "ask_empty_areas": "empty_areas"
                    in {e.code for e in getattr(exc, "error_list", [])},
                    "writers_note": _writers_note(contribution),
                    # Refused over someone else's change: the current fingerprint, else the one
                    # the form was sent with, so that nothing they saved is lost unseen.
                    "version": conflict.version if conflict else versions.posted(request),
                    "conflict": conflict,
                },
                status=409 if conflict else 400,
            )
        return redirect("report_contribution", pk=contribution.pk)
    return render(
        request,
        "reports/contribution.html",
        {
            "contribution": contribution,
            "period": period,
            "sections": sections,
            "can_edit": can_edit,
            "can_review": can_review,
            "writers_note": _writers_note(contribution),
            "version": services.contribution_version(contribution),
        },
    )


def _writers_note(contribution: Contribution) -> bool:
    """True when the department has no head with an account: the focal officer writes it."""
    return contribution.is_editable and handoffs.writers(contribution)[1]


def _with_posted(sections, data):
    """Keep what the person typed when the page comes back with an error."""
    for s in sections:
        for name in ("results", "figures", "difficulties", "proposals"):
            key = f"{name}-{s.pk}"
            if key in data:
                setattr(s, name, data[key])
    return sections


@login_required
def report_edit(request, pk: int):
    period = _period_for(request, pk)
    report = Report.objects.filter(period=period).first()
    can_manage = can(request.user, Action.MANAGE, period)
    can_approve = can(request.user, Action.APPROVE, period)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        # The leadership approves; the focal officer or the leadership marks the report sent.
        needed = {"approve": (Action.APPROVE,), "sent": (Action.MANAGE, Action.APPROVE)}
        if not any(can(request.user, a, period) for a in needed.get(action, (Action.MANAGE,))):
            raise deny()
        try:
            if action == "assemble":
                report = services.assemble_report(period, request.user)
                messages.success(
                    request, _("The report was assembled from the data and the parts.")
                )
            elif report is None:
                raise Http404
            elif action == "save":
                header = services.ReportHeader(
                    number=request.POST.get("number", ""),
                    issued_on=_date_or_none(request.POST.get("issued_on", "")),
                    addressee=request.POST.get("addressee", ""),
                    recipients=request.POST.get("recipients", ""),
                    signer_capacity=request.POST.get("signer_capacity", ""),
                    signer_title=request.POST.get("signer_title", ""),
                    signer_name=request.POST.get("signer_name", ""),
                )
                texts = {
                    s.pk: (
                        request.POST.get(f"heading-{s.pk}", s.heading),
                        request.POST.get(f"text-{s.pk}", s.text),
                    )
                    for s in report.sections.all()
                }
                services.save_report(report, header, texts)
                messages.success(request, _("Saved."))
            elif action == "approve":
                services.approve_report(report, request.user)
                messages.success(request, _("The report was approved."))
            elif action == "reopen":
                services.reopen_report(report)
                messages.success(request, _("The report is a draft again."))
            elif action == "sent":
                services.mark_sent(report)
                messages.success(request, _("The report was marked as sent."))
        except ValidationError as exc:
            show_errors(request, exc)
        return redirect("report_edit", pk=period.pk)
    return render(
        request,
        "reports/report.html",
        {
            "period": period,
            "report": report,
            "sections": report.sections.all() if report else [],
            "missing": services.missing_contributions(period),
            "after_assembly": services.parts_after_assembly(report) if report else [],
            "can_manage": can_manage,
            "can_approve": can_approve,
            "editable": bool(report and report.status == ReportStatus.DRAFT and can_manage),
        },
    )


def _date_or_none(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValidationError(_("Enter the dates as dd/mm/yyyy.")) from exc


def _report_to_print(request, period: ReportingPeriod) -> Report:
    report = Report.objects.filter(period=period).first()
    if report is None:
        if not can(request.user, Action.MANAGE, period):
            raise Http404
        report = services.assemble_report(period, request.user)
    return report


@login_required
def report_docx(request, pk: int):
    period = _period_for(request, pk)
    built = documents.report_docx(_report_to_print(request, period))
    suffix = "-du-thao" if built.is_draft else ""
    return download(built.content, DOCX, f"bao-cao-cchc-{period.pk}{suffix}.docx")


@login_required
def report_pdf(request, pk: int):
    """The report as PDF: converted on this download only, never on the report's pages."""
    period = _period_for(request, pk)
    report = _report_to_print(request, period)
    suffix = "-du-thao" if report.status == ReportStatus.DRAFT else ""
    return pdf_download(
        request,
        lambda: documents.report_pdf(report, request.user).content,
        f"bao-cao-cchc-{period.pk}{suffix}.pdf",
        reverse("report_edit", args=[period.pk]),
    )


@login_required
def report_annex(request, pk: int):
    period = _period_for(request, pk)
    return download(documents.annex_xlsx(period), XLSX, f"phu-luc-bao-cao-{period.pk}.xlsx")


@login_required
def plan_document(request, pk: int):
    plan = visible_or_404(request, Plan.objects.select_related("unit"), pk)
    return download(documents.plan_docx(plan), DOCX, f"ke-hoach-{plan.pk}.docx")


@login_required
def plan_document_pdf(request, pk: int):
    plan = visible_or_404(request, Plan.objects.select_related("unit"), pk)
    return pdf_download(
        request,
        lambda: docx_to_pdf(documents.plan_docx(plan)),
        f"ke-hoach-{plan.pk}.pdf",
        reverse("plan_detail", args=[plan.pk]),
    )
