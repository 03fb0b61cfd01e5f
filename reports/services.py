"""Rules of periodic reporting: periods from a plan, contributions, the commune report."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import translation
from django.utils.translation import gettext as _

from core import clock
from core.domains import ReportFacts, plugins
from core.numbers import format_number
from core.text import roman
from org.models import Department, User
from plans.models import Measurement, MilestoneKind, Plan, ReformArea, Target, Task, TaskStatus
from plans.services import target_state
from reports import handoffs
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
    period_label,
)

# Departments send their part this many days before the commune's report is due.
DEPARTMENT_LEAD_DAYS = 5
# Seed 001: "báo cáo Quý, báo cáo 6 tháng gửi trước ngày 10 tháng cuối của quý, báo cáo năm gửi
# trước ngày 10/12".
DUE_DAY_OF_LAST_MONTH = 10
DONE = (TaskStatus.DONE, TaskStatus.DONE_LATE)


# -- periods --------------------------------------------------------------------------------


def period_title(period: ReportingPeriod) -> str:
    """The period as the report's title says it: "quý I năm 2026", "năm 2026"."""
    with translation.override("vi"):
        label = period_label(period.kind, period.year, period.number)
    if period.kind == PeriodKind.QUARTER:
        return f"quý {roman(period.number)} năm {period.year}"
    return label[0].lower() + label[1:]


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


# -- facts from the system's data -------------------------------------------------------------


@dataclass
class AreaFacts:
    area: ReformArea
    tasks: int = 0
    done: list[Task] = field(default_factory=list)
    done_late: list[Task] = field(default_factory=list)
    in_progress: list[Task] = field(default_factory=list)
    overdue: list[Task] = field(default_factory=list)
    not_started: list[Task] = field(default_factory=list)

    @property
    def done_count(self) -> int:
        return len(self.done) + len(self.done_late)


@dataclass
class TargetFact:
    target: Target
    latest: Measurement | None
    attainment: str


@dataclass
class Facts:
    areas: list[AreaFacts]
    targets: list[TargetFact]
    other_lines: list[str]  # from other domains (inspections' findings, scoring, …)

    @property
    def tasks(self) -> int:
        return sum(a.tasks for a in self.areas)

    @property
    def done(self) -> int:
        return sum(a.done_count for a in self.areas)

    @property
    def overdue(self) -> int:
        return sum(len(a.overdue) for a in self.areas)

    @property
    def done_late(self) -> int:
        return sum(len(a.done_late) for a in self.areas)


def _sort_task(task: Task, bucket: AreaFacts, period: ReportingPeriod) -> None:
    bucket.tasks += 1
    finished_in_time = task.completed_on and task.completed_on <= period.end
    if task.status in DONE and finished_in_time:
        (bucket.done_late if task.status == TaskStatus.DONE_LATE else bucket.done).append(task)
    elif task.status == TaskStatus.OVERDUE and (
        task.next_due is None or task.next_due <= period.end
    ):
        bucket.overdue.append(task)
    elif task.status == TaskStatus.NOT_STARTED:
        bucket.not_started.append(task)
    else:
        bucket.in_progress.append(task)


def collect_facts(period: ReportingPeriod, department: Department | None = None) -> Facts:
    """Tasks, targets and other domains' facts of the period, for one department or all."""
    plan = period.plan
    areas = list(plan.areas.order_by("order"))
    buckets = {a.pk: AreaFacts(a) for a in areas}
    tasks = plan.tasks.select_related("lead_department").order_by("area__order", "order", "pk")
    if department is not None:
        tasks = tasks.filter(lead_department=department)
    for task in tasks:
        _sort_task(task, buckets[task.area_id], period)

    targets = plan.targets.order_by("order", "pk").prefetch_related(
        Prefetch(
            "measurements",
            queryset=Measurement.objects.filter(measured_on__lte=period.end).order_by(
                "measured_on", "created_at"
            ),
        )
    )
    if department is not None:
        targets = targets.filter(
            Q(monitoring_department=department) | Q(implementing_departments=department)
        ).distinct()
    target_facts = []
    for target in targets:
        state = target_state(target, list(target.measurements.all()))
        target_facts.append(TargetFact(target, state.latest, state.attainment_label))

    other: list[str] = []
    for source in plugins(ReportFacts):
        other.extend(source.report_lines(period, department))
    return Facts([buckets[a.pk] for a in areas], target_facts, other)


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _task_line(task: Task, *, with_lead: bool = False) -> str:
    text = task.content.strip().rstrip(".;")
    if with_lead and task.lead_department_id:
        # The department's full name: short codes are for the officials' screens, not documents.
        text = f"{text} ({task.lead_department.name})"
    return text


def _overdue_line(task: Task) -> str:
    """How a department's part says a task is late."""
    return "- " + _("Overdue: %(task)s (due %(day)s).") % {
        "task": _task_line(task),
        "day": _day(task.next_due),
    }


def summary_sentence(facts: AreaFacts | Facts) -> str:
    done = facts.done_count if isinstance(facts, AreaFacts) else facts.done
    late = len(facts.done_late) if isinstance(facts, AreaFacts) else facts.done_late
    overdue = len(facts.overdue) if isinstance(facts, AreaFacts) else facts.overdue
    return _("%(tasks)d tasks; %(done)d done (%(late)d of them late), %(overdue)d overdue.") % {
        "tasks": facts.tasks,
        "done": done,
        "late": late,
        "overdue": overdue,
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


def expected_departments(period: ReportingPeriod) -> list[Department]:
    """Departments that lead work in the plan: each owes its part of the report."""
    ids = set(period.plan.tasks.values_list("lead_department_id", flat=True))
    ids |= set(period.contributions.values_list("department_id", flat=True))
    return list(Department.objects.filter(pk__in=ids).order_by("order", "name"))


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
                    [summary_sentence(area_facts)] + [f"- {target_line(t)}" for t in targets]
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
        summaries = {a.area.pk: summary_sentence(a) for a in facts.areas if a.tasks}
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


@transaction.atomic
def save_contribution(contribution: Contribution, texts: dict[int, SectionText]) -> None:
    """Save the texts of the given sections (by section id)."""
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    _editable(contribution)
    for section in contribution.sections.all():
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


def missing_contributions(period: ReportingPeriod) -> list[tuple[Department, str]]:
    """(department, state) of every expected part not yet accepted."""
    by_department = {c.department_id: c for c in period.contributions.all()}
    missing = []
    for department in expected_departments(period):
        contribution = by_department.get(department.pk)
        if contribution is None:
            missing.append((department, _("not asked yet")))
        elif contribution.status != ContributionStatus.ACCEPTED:
            missing.append((department, contribution.get_status_display()))
    return missing


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


def _joined(parts: Iterable[str]) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


def _next_period_tasks(period: ReportingPeriod) -> list[Task]:
    """The work due in the next period of the same length, from every plan of the unit that
    covers it (the next year's plan for a year report); work already late is a shortcoming of
    this period, not a direction for the next. With nothing dated there, the continuing work
    ("thường xuyên") of the period's plan."""
    start = period.end + timedelta(days=1)
    end = period.end + (period.end - period.start) + timedelta(days=1)
    plans = Plan.objects.filter(
        unit_id=period.unit_id, period_start__lte=end, period_end__gte=start
    )
    ahead = Task.objects.filter(plan__in=plans, next_due__gte=start, next_due__lte=end)
    if not ahead.exists():
        ahead = period.plan.tasks.filter(
            next_due__isnull=True, milestones__kind=MilestoneKind.CONTINUOUS
        ).distinct()
    return list(
        ahead.exclude(status__in=DONE)
        .select_related("lead_department")
        .order_by("next_due", "area__order", "order")[:30]
    )


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
    """(Re)write the report's sections from the data and the departments' parts."""
    report, _new = Report.objects.select_for_update().get_or_create(period=period)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("The report has been approved; return it to draft to change it."))
    _default_header(report, period)
    with translation.override("vi"):
        facts = collect_facts(period)
        parts = list(
            ContributionSection.objects.filter(
                contribution__period=period,
                contribution__status__in=[ContributionStatus.ACCEPTED],
            )
            .select_related("contribution__department")
            .order_by("contribution__department__order", "contribution__department__name", "order")
        )
        by_area: dict[int | None, list[ContributionSection]] = defaultdict(list)
        for part in parts:
            by_area[part.area_id].append(part)

        sections: list[tuple[str, int, str, str]] = []
        overall = _("The plan has %(summary)s") % {"summary": summary_sentence(facts)}
        general = [p.results for p in by_area.get(None, [])]
        sections.append(("results", 1, _("RESULTS OF THE REFORM TASKS"), _joined([overall])))
        number = 0
        for area_facts in facts.areas:
            area_parts = by_area.get(area_facts.area.pk, [])
            if not area_facts.tasks and not area_parts:
                continue
            number += 1
            # The departments' own figures repeat the data; the unit's summary replaces them.
            text = _joined([summary_sentence(area_facts)] + [p.results for p in area_parts])
            heading = f"{number}. {area_facts.area.name}"
            sections.append((f"area:{area_facts.area.order}", 2, heading, text))
        number += 1
        target_text = _joined([f"- {target_line(t)}" for t in facts.targets])
        sections.append(("targets", 2, f"{number}. " + _("Targets"), target_text))
        if facts.other_lines or general:
            number += 1
            other_text = _joined([f"- {line}" for line in facts.other_lines] + general)
            sections.append(("other", 2, f"{number}. " + _("Other results"), other_text))

        sections.append(("assessment", 1, _("GENERAL ASSESSMENT"), ""))
        done_share = round(100 * facts.done / facts.tasks) if facts.tasks else 0
        late_parts = list(
            period.contributions.filter(SENT_LATE)
            .select_related("department")
            .order_by("department__name")
        )
        strengths = [_("%(share)s%% of the plan's tasks are done.") % {"share": done_share}]
        if parts and not late_parts:
            strengths.append(_("The departments sent their parts of the report on time."))
        sections.append(("strengths", 2, "1. " + _("Strengths"), " ".join(strengths)))
        overdue = [t for a in facts.areas for t in a.overdue]
        # A part's own "overdue" lines repeat the unit's list below; each task is said once.
        said_by_unit = {_overdue_line(t) for t in overdue}
        part_lines = [
            line
            for p in parts
            for line in p.difficulties.splitlines()
            if line.strip() and line.strip() not in said_by_unit
        ]
        weaknesses = _joined(
            [
                "- "
                + _("%(department)s sent its part late (on %(sent)s; due %(due)s).")
                % {
                    "department": c.department.name,
                    "sent": _day(c.sent_on),
                    "due": _day(c.due_when_sent),
                }
                for c in late_parts
            ]
            + part_lines
            + [
                "- "
                + _("Overdue: %(task)s (due %(day)s).")
                % {"task": _task_line(t, with_lead=True), "day": _day(t.next_due)}
                for t in overdue
            ]
        )
        sections.append(
            ("weaknesses", 2, "2. " + _("Shortcomings, limitations and causes"), weaknesses)
        )
        next_tasks = _joined(
            "- "
            + _task_line(t, with_lead=True)
            + (f" – {_('due')} {_day(t.next_due)}" if t.next_due else "")
            + "."
            for t in _next_period_tasks(period)
        )
        sections.append(("next", 1, _("KEY TASKS OF THE NEXT PERIOD"), next_tasks))
        sections.append(
            (
                "proposals",
                1,
                _("PROPOSALS AND RECOMMENDATIONS"),
                _joined(p.proposals for p in parts),
            )
        )

    level_one = 0
    report.sections.all().delete()
    for order, (key, level, heading, text) in enumerate(sections):
        if level == 1:
            level_one += 1
            heading = f"{roman(level_one)}. {heading}"
        ReportSection.objects.create(
            report=report, order=order, level=level, key=key, heading=heading, text=text
        )
    report.assembled_at = clock.now()
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
    handoffs.report_approved(report)
    return report


@transaction.atomic
def reopen_report(report: Report) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status == ReportStatus.SENT:
        raise ValidationError(_("The report has been sent; it can no longer be changed."))
    report.status, report.approved_by, report.approved_at = ReportStatus.DRAFT, None, None
    report.save()
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
    plans = Plan.objects.filter(
        unit=unit, period_start__year__lte=year, period_end__year__gte=year
    ).order_by("-period_end", "-pk")
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
