"""Rules of periodic reporting: periods from a plan, contributions, the commune report."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock, crash
from core.numbers import format_number
from core.versions import fingerprint, refuse_if_changed
from org.models import User
from plans.models import Plan
from reports import documents, handoffs
from reports.builder import document_day
from reports.facts import (
    TargetFact,
    TaskThen,
    collect_facts,
    expected_departments,
    figures_day,
    missing_contributions,
)
from reports.models import (
    SENT_LATE,
    Contribution,
    ContributionSection,
    ContributionStatus,
    PeriodKind,
    Report,
    ReportingPeriod,
    ReportSection,
    ReportStatus,
)
from reports.wording import figures_text, report_sections

# Departments send their part this many days before the commune's report is due.
DEPARTMENT_LEAD_DAYS = 5
# Seed 001: "báo cáo Quý, báo cáo 6 tháng gửi trước ngày 10 tháng cuối của quý, báo cáo năm gửi
# trước ngày 10/12".
DUE_DAY_OF_LAST_MONTH = 10


# -- periods --------------------------------------------------------------------------------


def _quarter_end(year: int, quarter: int) -> date:
    month = quarter * 3
    return date(year, month, calendar.monthrange(year, month)[1])


def default_due_dates(end: date) -> tuple[date, date]:
    """(departments' due date, the commune's due date) for a period ending on `end`."""
    unit_due = date(end.year, end.month, DUE_DAY_OF_LAST_MONTH)
    return unit_due - timedelta(days=DEPARTMENT_LEAD_DAYS), unit_due


def planned_periods(plan: Plan) -> list[tuple[str, int, int, date, date]]:
    """(kind, year, number, start, end) of every report the plan's span calls for.

    A quarter ends in a quarter report, except that the second quarter ends in the six-month
    report and the fourth in the year report; those cover the year from its start.
    """
    found = []
    for year in range(plan.period_start.year, plan.period_end.year + 1):
        for quarter in range(1, 5):
            end = _quarter_end(year, quarter)
            if not plan.period_start <= end <= plan.period_end + timedelta(days=31):
                continue
            if quarter == 2:
                kind, number, start = PeriodKind.SIX_MONTH, 1, date(year, 1, 1)
            elif quarter == 4:
                kind, number, start = PeriodKind.YEAR, 0, date(year, 1, 1)
            else:
                kind, number, start = PeriodKind.QUARTER, quarter, date(year, quarter * 3 - 2, 1)
            if plan.period_end < end and quarter != 4:
                continue  # a plan ending mid-quarter still reports at the year's end
            found.append((kind, year, number, max(start, plan.period_start), end))
    return found


@transaction.atomic
def ensure_periods(plan: Plan) -> list[ReportingPeriod]:
    """Create the plan's reporting periods that do not exist yet; dates already edited stay."""
    existing = {(p.kind, p.year, p.number): p for p in plan.reporting_periods.all()}
    for kind, year, number, start, end in planned_periods(plan):
        if (kind, year, number) in existing:
            continue
        department_due, unit_due = default_due_dates(end)
        existing[(kind, year, number)] = ReportingPeriod.objects.create(
            plan=plan,
            unit_id=plan.unit_id,
            kind=kind,
            year=year,
            number=number,
            start=start,
            end=end,
            department_due=department_due,
            unit_due=unit_due,
        )
    return sorted(existing.values(), key=lambda p: (p.end, p.kind))


def change_due_dates(period: ReportingPeriod, *, department_due: date, unit_due: date) -> None:
    if department_due > unit_due:
        raise ValidationError(
            {
                "department_due": _(
                    "Departments must send their part on or before the day the report is due."
                )
            }
        )
    if unit_due < period.start:
        raise ValidationError({"unit_due": _("The report cannot be due before its period starts.")})
    period.department_due, period.unit_due = department_due, unit_due
    period.save(update_fields=["department_due", "unit_due"])


# -- what the data says, in a department's part ------------------------------------------


def _day(value: date | None) -> str:
    return document_day(value)


def _task_line(task: TaskThen) -> str:
    return task.content


def _overdue_line(task: TaskThen) -> str:
    """How a department's part says a task is late."""
    return "- " + _("Overdue: %(task)s (due %(day)s).") % {
        "task": _task_line(task),
        "day": _day(task.next_due),
    }


def target_line(fact: TargetFact) -> str:
    target = fact.target
    if fact.latest is None:
        return _("%(target)s: not yet measured.") % {"target": target.text.rstrip(".;")}
    percent = "%" if target.unit_label == "%" else f" {target.unit_label}".rstrip()
    return _("%(target)s: %(value)s (%(attainment)s; source: %(source)s, %(day)s).") % {
        "target": target.text.rstrip(".;"),
        "value": format_number(fact.latest.value) + percent,
        "attainment": fact.attainment,
        "source": fact.latest.source,
        "day": _day(fact.latest.measured_on),
    }


# -- contributions --------------------------------------------------------------------------


def prefill_sections(contribution: Contribution) -> list[ContributionSection]:
    """Write into empty sections what the data says of the department's work in the period."""
    with translation.override("vi"):
        facts = collect_facts(contribution.period, contribution.department)
        existing = {s.area_id: s for s in contribution.sections.all()}
        sections = []
        for order, area_facts in enumerate(facts.areas, start=1):
            targets = [t for t in facts.targets if t.target.area_id == area_facts.area.pk]
            if not area_facts.tasks and not targets and area_facts.area.pk not in existing:
                continue
            section = existing.get(area_facts.area.pk) or ContributionSection(
                contribution=contribution, area=area_facts.area, order=order
            )
            if not (section.results or section.figures or section.difficulties):
                done = area_facts.done + area_facts.done_late
                section.results = "\n".join(f"- {_task_line(t)}." for t in done)
                section.figures = "\n".join(
                    [figures_text(area_facts.counts())] + [f"- {target_line(t)}" for t in targets]
                )
                section.difficulties = "\n".join(_overdue_line(t) for t in area_facts.overdue)
            section.save()
            sections.append(section)
        general = existing.get(None) or ContributionSection(
            contribution=contribution, area=None, order=len(facts.areas) + 1
        )
        untied = [t for t in facts.targets if t.target.area_id is None]
        if not (general.results or general.figures):
            general.results = "\n".join(f"- {line}" for line in facts.other_lines)
            general.figures = "\n".join(f"- {target_line(t)}" for t in untied)
        general.save()
        sections.append(general)
    return sections


@transaction.atomic
def refill_contribution(contribution: Contribution) -> None:
    """Take the figures again from the data (sections for new areas are added); the text
    the department wrote stays."""
    _editable(contribution)
    with translation.override("vi"):
        facts = collect_facts(contribution.period, contribution.department)
    targets_by_area: dict[int | None, list[TargetFact]] = defaultdict(list)
    for fact in facts.targets:
        targets_by_area[fact.target.area_id].append(fact)
    with translation.override("vi"):
        summaries = {a.area.pk: figures_text(a.counts()) for a in facts.areas if a.tasks}
        for section in contribution.sections.all():
            section.figures = "\n".join(
                ([summaries[section.area_id]] if section.area_id in summaries else [])
                + [f"- {target_line(t)}" for t in targets_by_area.get(section.area_id, [])]
            )
            section.save(update_fields=["figures"])
    prefill_sections(contribution)


@transaction.atomic
def open_contributions(period: ReportingPeriod) -> list[Contribution]:
    """Ask every expected department for its part, pre-filled; existing parts are kept."""
    created = []
    for department in expected_departments(period):
        contribution, new = Contribution.objects.get_or_create(period=period, department=department)
        if new:
            prefill_sections(contribution)
            created.append(contribution)
    for contribution in created:
        handoffs.part_asked(contribution)
    return created


@dataclass
class SectionText:
    results: str = ""
    figures: str = ""
    difficulties: str = ""
    proposals: str = ""


def _editable(contribution: Contribution) -> None:
    if not contribution.is_editable:
        raise ValidationError(
            _("This part has been submitted (%(status)s) and can no longer be changed.")
            % {"status": contribution.get_status_display()}
        )
    if _report_locked(contribution.period):
        raise ValidationError(_("The report of this period has been approved; it is locked."))


SECTION_FIELDS = {
    "results": gettext_lazy("Results achieved"),
    "figures": gettext_lazy("Figures"),
    "difficulties": gettext_lazy("Difficulties"),
    "proposals": gettext_lazy("Proposals"),
}


def _contribution_values(sections) -> dict:
    return {f"{name}-{s.pk}": getattr(s, name) for s in sections for name in SECTION_FIELDS}


def contribution_version(contribution: Contribution) -> str:
    """The fingerprint the part's form carries: every section's texts as stored now."""
    return fingerprint(_contribution_values(contribution.sections.all()))


@transaction.atomic
def save_contribution(
    contribution: Contribution, texts: dict[int, SectionText], *, seen: str | None = None
) -> None:
    """Save the texts of the given sections (by section id). `seen` is the fingerprint of the
    texts the writer was shown: a save over someone else's change made since is refused."""
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    _editable(contribution)
    sections = list(contribution.sections.select_related("area"))
    mine = {
        f"{name}-{pk}": getattr(text, name) for pk, text in texts.items() for name in SECTION_FIELDS
    }
    labels = {
        f"{name}-{s.pk}": f"{s} · {label}"
        for s in sections
        for name, label in SECTION_FIELDS.items()
    }
    refuse_if_changed(
        seen,
        _contribution_values(sections),
        labels=labels,
        changed=[contribution, *sections],
        mine=mine,
    )
    for section in sections:
        text = texts.get(section.pk)
        if text is None:
            continue
        section.results = text.results.strip()
        section.figures = text.figures.strip()
        section.difficulties = text.difficulties.strip()
        section.proposals = text.proposals.strip()
        section.save()
    contribution.save(update_fields=["updated_at"])


def _written(section: ContributionSection) -> bool:
    return any(
        text.strip()
        for text in (section.results, section.figures, section.difficulties, section.proposals)
    )


def empty_areas(contribution: Contribution) -> list[str]:
    """The reform areas of a part with nothing written."""
    return [
        s.area.name
        for s in contribution.sections.select_related("area")
        if s.area_id and not (s.results.strip() or s.difficulties.strip())
    ]


@transaction.atomic
def submit_contribution(
    contribution: Contribution, by: User, *, confirm_empty_areas: bool = False
) -> Contribution:
    """Send a part to the focal officer. A part with areas left empty is sent only once the
    sender confirms it; a part sent after its due date is marked late for good."""
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    _editable(contribution)
    if not any(_written(s) for s in contribution.sections.all()):
        raise ValidationError(_("The part is empty: write at least the results before sending."))
    empty = empty_areas(contribution)
    if empty and not confirm_empty_areas:
        raise ValidationError(
            _(
                "Nothing is written on %(n)d areas (%(areas)s). Write them, or confirm that the "
                "department has nothing to report there."
            )
            % {"n": len(empty), "areas": "; ".join(empty)},
            code="empty_areas",
        )
    contribution.status = ContributionStatus.SUBMITTED
    contribution.submitted_at, contribution.submitted_by = clock.now(), by
    contribution.sent_on, contribution.due_when_sent = (
        clock.today(),
        contribution.period.department_due,
    )
    contribution.return_reason = ""
    contribution.save()
    handoffs.part_sent(contribution)
    return contribution


@transaction.atomic
def review_contribution(
    contribution: Contribution, by: User, *, accept: bool, reason: str = ""
) -> Contribution:
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if contribution.status != ContributionStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted part can be accepted or returned."))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say what must be changed.")})
    contribution.status = ContributionStatus.ACCEPTED if accept else ContributionStatus.RETURNED
    contribution.return_reason = "" if accept else reason.strip()
    contribution.reviewed_at, contribution.reviewed_by = clock.now(), by
    contribution.save()
    if accept:
        handoffs.part_accepted(contribution)
    else:
        handoffs.part_returned(contribution)
    offer_approval_if_ready(contribution.period)
    return contribution


# -- the commune's report -------------------------------------------------------------------


def parts_after_assembly(report: Report) -> list[Contribution]:
    """Parts accepted after the report was assembled: the report does not hold them yet."""
    if report.assembled_at is None:
        return []
    return list(
        report.period.contributions.filter(
            status=ContributionStatus.ACCEPTED, reviewed_at__gt=report.assembled_at
        ).select_related("department")
    )


def is_out_of_date(report: Report) -> bool:
    return bool(parts_after_assembly(report))


def offer_approval_if_ready(period: ReportingPeriod) -> None:
    """The leadership has the report to approve exactly while it is a draft assembled from every
    accepted part and up to date; a part returned or accepted later takes it back."""
    report = Report.objects.filter(period=period).first()
    if report is None or report.status != ReportStatus.DRAFT:
        return
    if (
        report.sections.exists()
        and not missing_contributions(period)
        and not is_out_of_date(report)
    ):
        handoffs.offer_approval(period)
    else:
        handoffs.withdraw_approval(period)


def _report_locked(period: ReportingPeriod) -> bool:
    return Report.objects.filter(period=period).exclude(status=ReportStatus.DRAFT).exists()


def _default_header(report: Report, period: ReportingPeriod) -> None:
    unit = period.unit
    province = unit.province or unit.parent
    if province and not report.addressee:
        with translation.override("vi"):
            name = province.full_name
        report.addressee = f"Sở Nội vụ {name[0].lower()}{name[1:]}"
    report.recipients = report.recipients or "\n".join(
        [
            "Như trên;",
            "TT Đảng ủy, HĐND (để b/c);",
            "Chủ tịch, các PCT UBND;",
            "Các phòng, đơn vị thuộc UBND;",
            "Lưu: VT, VHXH.",
        ]
    )
    plan = period.plan
    report.signer_capacity = report.signer_capacity or "TM. ỦY BAN NHÂN DÂN"
    report.signer_title = report.signer_title or "CHỦ TỊCH"
    report.signer_name = report.signer_name or plan.signer


@transaction.atomic
def assemble_report(period: ReportingPeriod, by: User | None = None) -> Report:
    """(Re)write the report's sections from the data and the departments' parts, with the
    figures as they stand on the figures' day (the period's end, or today if sooner)."""
    report, _new = Report.objects.select_for_update().get_or_create(period=period)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("The report has been approved; return it to draft to change it."))
    _default_header(report, period)
    on = figures_day(period)
    with translation.override("vi"):
        facts = collect_facts(period, on=on)
        parts = list(
            ContributionSection.objects.filter(
                contribution__period=period,
                contribution__status__in=[ContributionStatus.ACCEPTED],
            )
            .select_related("contribution__department")
            .order_by("contribution__department__order", "contribution__department__name", "order")
        )
        late_parts = list(
            period.contributions.filter(SENT_LATE)
            .select_related("department")
            .order_by("department__name")
        )
        sections = report_sections(period, facts, parts, late_parts)

    report.sections.all().delete()
    for order, (key, level, heading, text) in enumerate(sections):
        ReportSection.objects.create(
            report=report, order=order, level=level, key=key, heading=heading, text=text
        )
    report.assembled_at, report.figures_on = clock.now(), on
    report.save()
    offer_approval_if_ready(period)
    return report


@dataclass
class ReportHeader:
    number: str = ""
    issued_on: date | None = None
    addressee: str = ""
    recipients: str = ""
    signer_capacity: str = ""
    signer_title: str = ""
    signer_name: str = ""


@transaction.atomic
def save_report(report: Report, header: ReportHeader, texts: dict[int, tuple[str, str]]) -> Report:
    """Save the header and the (heading, text) of the given sections (by section id)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("The report has been approved; return it to draft to change it."))
    for name, value in vars(header).items():
        setattr(report, name, value.strip() if isinstance(value, str) else value)
    for section in report.sections.all():
        if section.pk in texts:
            heading, text = texts[section.pk]
            if not heading.strip():
                raise ValidationError(_("Every section needs a heading."))
            section.heading, section.text = heading.strip(), text.strip()
            section.save()
    report.save()
    return report


@transaction.atomic
def approve_report(report: Report, by: User) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("The report is already approved."))
    missing = missing_contributions(report.period)
    if missing:
        raise ValidationError(
            _("Parts still missing: %(list)s.")
            % {"list": "; ".join(f"{d.name} ({state})" for d, state in missing)}
        )
    if not report.sections.exists():
        raise ValidationError(_("Assemble the report before approving it."))
    late = parts_after_assembly(report)
    if late:
        raise ValidationError(
            _(
                "The report is out of date: %(parts)s accepted after it was assembled. "
                "Assemble it again before approving it."
            )
            % {"parts": "; ".join(p.department.name for p in late)}
        )
    report.status, report.approved_by, report.approved_at = (
        ReportStatus.APPROVED,
        by,
        clock.now(),
    )
    report.issued_on = report.issued_on or clock.today()
    report.save()
    documents.freeze(report, by)
    handoffs.report_approved(report)
    crash.point("report.frozen")
    return report


@transaction.atomic
def reopen_report(report: Report) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status == ReportStatus.SENT:
        raise ValidationError(_("The report has been sent; it can no longer be changed."))
    report.status, report.approved_by, report.approved_at = ReportStatus.DRAFT, None, None
    report.save()
    documents.thaw(report)
    handoffs.report_closed(report)
    offer_approval_if_ready(report.period)
    return report


@transaction.atomic
def mark_sent(report: Report) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.APPROVED:
        raise ValidationError(_("Only an approved report can be sent."))
    report.status, report.sent_at = ReportStatus.SENT, clock.now()
    report.sent_late = clock.today() > report.period.unit_due
    report.save()
    handoffs.report_closed(report)
    return report


def find_period(unit, year: int, kind: str, number: int | None = None) -> ReportingPeriod:
    """The unit's reporting period of that year and kind, from its plans (created if needed)."""
    plans = (
        Plan.objects.counted()
        .filter(unit=unit, period_start__year__lte=year, period_end__year__gte=year)
        .order_by("-period_end", "-pk")
    )
    for plan in plans:
        for period in ensure_periods(plan):
            if (
                period.year == year
                and period.kind == kind
                and (number is None or period.number == number)
            ):
                return period
    raise ValidationError(
        _("%(unit)s has no plan with a %(kind)s report in %(year)s.")
        % {"unit": unit, "kind": PeriodKind(kind).label, "year": year}
    )
