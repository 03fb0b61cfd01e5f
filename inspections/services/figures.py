"""Queries and figures: findings filtered, remediation on time, the checklist grid of a round,
summaries per department and per person."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, CharField, Count, F, Q, QuerySet, When
from django.utils.translation import gettext as _

from core import clock
from core.numbers import format_number
from inspections.models import (
    REMEDIATED,
    Answer,
    ChecklistArea,
    ChecklistItem,
    Finding,
    FindingStatus,
    InspectionPlan,
    Result,
    Round,
    Severity,
    Subject,
)
from inspections.services.self_check import self_check_state
from org.access import filter_visible
from org.models import Department, Unit, User
from plans import services as plan_services


@dataclass
class FindingFilter:
    state: str = ""  # "" | open | overdue | remediated
    department: int | None = None
    round: int | None = None
    severity: str = ""


def filter_findings(
    findings: QuerySet[Finding], f: FindingFilter, *, on: date | None = None
) -> QuerySet[Finding]:
    on = on or clock.today()
    if f.state == "open":
        findings = findings.exclude(status__in=REMEDIATED)
    elif f.state == "overdue":
        findings = findings.filter(status=FindingStatus.OPEN, deadline__lt=on)
    elif f.state == "remediated":
        findings = findings.filter(status__in=REMEDIATED)
    if f.department:
        findings = findings.filter(responsible_department_id=f.department)
    if f.round:
        findings = findings.filter(round_id=f.round)
    if f.severity:
        findings = findings.filter(severity=f.severity)
    return findings


@dataclass
class RemediationStats:
    total: int = 0
    remediated: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0
    due: int = 0  # remediated, or past their deadline: the ones the share is measured on

    @property
    def on_time_share(self) -> Decimal | None:
        """Share of findings remediated on time, of those remediated or past their deadline."""
        if not self.due:
            return None
        return (Decimal(self.on_time) * 100 / self.due).quantize(Decimal("0.1"))

    @property
    def on_time_percent(self) -> str:
        share = self.on_time_share
        return "—" if share is None else f"{format_number(share)}%"


def remediation_stats(findings: Iterable[Finding], *, on: date | None = None) -> RemediationStats:
    on = on or clock.today()
    if isinstance(findings, QuerySet):  # three columns are enough: no model instances
        rows = findings.values_list("status", "remediated_on", "deadline")
    else:
        rows = ((f.status, f.remediated_on, f.deadline) for f in findings)
    stats = RemediationStats()
    for status, remediated_on, deadline in rows:
        stats.total += 1
        if status in REMEDIATED and remediated_on is not None:
            stats.remediated += 1
            stats.due += 1
            if remediated_on <= deadline:
                stats.on_time += 1
            else:
                stats.late += 1
        else:
            stats.open += 1
            if deadline < on:
                stats.due += 1
                if status == FindingStatus.OPEN:
                    stats.overdue += 1
    return stats


def unit_findings(unit: Unit) -> QuerySet[Finding]:
    return Finding.objects.filter(round__plan__unit=unit)


def communes_findings(
    user: Any, communes: list[Unit], commune: int | None = None
) -> QuerySet[Finding]:
    """The findings of the communes a province follows (of one of them, when chosen), as far as
    `user` may read them."""
    ids = [u.pk for u in communes]
    return filter_visible(user, Finding.objects.all(), "round__plan__unit").filter(
        round__plan__unit_id__in=[commune] if commune in ids else ids
    )


@transaction.atomic
def record_on_time_share(plan: InspectionPlan, by: User | None, *, on: date | None = None):
    """Feed the share of findings remediated on time into the CCHC plan target linked to it."""
    on = on or clock.today()
    if plan.on_time_target is None:
        raise ValidationError(_("Link a plan target first."))
    stats = remediation_stats(Finding.objects.filter(round__plan=plan), on=on)
    if stats.on_time_share is None:
        raise ValidationError(_("No finding is due yet: there is nothing to measure."))
    return plan_services.record_measurement(
        plan.on_time_target,
        value=stats.on_time_share,
        period_label=on.strftime("%d/%m/%Y"),
        source=_("Inspections: %(title)s") % {"title": plan.title},
        by=by,
        measured_on=on,
    )


@dataclass
class GridCell:
    area: ChecklistArea
    applies: bool
    met: int = 0
    not_met: int = 0
    na: int = 0
    blank: int = 0

    @property
    def state(self) -> str:
        if not self.applies:
            return "none"
        if self.not_met:
            return "not_met"
        if self.blank:
            return "blank"
        return "met"


@dataclass
class GridRow:
    subject: Subject
    state: str
    cells: list[GridCell]
    findings: int = 0


def checklist_grid(
    round_: Round, *, on: date | None = None
) -> tuple[list[ChecklistArea], list[GridRow]]:
    """Department × area: how many items are met, not met, not applicable or unanswered."""
    areas = list(round_.plan.areas.all())
    item_area = dict(
        ChecklistItem.objects.filter(area__plan=round_.plan).values_list("pk", "area_id")
    )
    per_area = Counter(item_area.values())
    subjects = list(
        round_.subjects.select_related("department", "person", "round__plan").prefetch_related(
            "areas"
        )
    )
    results: dict[tuple[int, int], Counter] = defaultdict(Counter)
    for subject_id, item_id, team, own in Answer.objects.filter(subject__round=round_).values_list(
        "subject_id", "item_id", "team_result", "self_result"
    ):
        results[(subject_id, item_area[item_id])][team or own] += 1
    finding_counts = Counter(round_.findings.values_list("department_id", flat=True))
    rows = []
    for subject in subjects:
        chosen = {a.pk for a in subject.areas.all()}
        cells = []
        for area in areas:
            counts = results[(subject.pk, area.pk)]
            answered = counts[Result.MET] + counts[Result.NOT_MET] + counts[Result.NOT_APPLICABLE]
            cells.append(
                GridCell(
                    area=area,
                    applies=area.pk in chosen,
                    met=counts[Result.MET],
                    not_met=counts[Result.NOT_MET],
                    na=counts[Result.NOT_APPLICABLE],
                    blank=max(per_area[area.pk] - answered, 0) if area.pk in chosen else 0,
                )
            )
        rows.append(
            GridRow(
                subject=subject,
                state=self_check_state(subject, on),
                cells=cells,
                findings=finding_counts[subject.department_id],
            )
        )
    return areas, rows


@dataclass
class SummaryRow:
    name: str
    department: str = ""
    met: int = 0
    not_met: int = 0
    findings: int = 0
    serious: int = 0
    stats: RemediationStats = field(default_factory=RemediationStats)


def _answer_counts(rounds: list[Round], path: str) -> list[dict]:
    """Items met and not met per department (or person), counted in the database."""
    effective = Case(
        When(~Q(team_result=""), then=F("team_result")),
        default=F("self_result"),
        output_field=CharField(),
    )
    rows = (
        Answer.objects.filter(subject__round__in=rounds, **{f"{path}__isnull": False})
        .annotate(effective=effective)
        .values(f"{path}_id", "effective")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, dict] = {}
    for row in rows:
        key = row[f"{path}_id"]
        entry = counts.setdefault(key, {"key": key, "met": 0, "not_met": 0})
        if row["effective"] == Result.MET:
            entry["met"] += row["n"]
        elif row["effective"] == Result.NOT_MET:
            entry["not_met"] += row["n"]
    model = Department if path.endswith("department") else User
    names = {o.pk: o for o in model.objects.filter(pk__in=counts)}
    for key, entry in counts.items():
        entry["name"] = str(names[key].name if model is Department else names[key])
        entry["object"] = names[key]
    return list(counts.values())


def _summary(
    rounds: list[Round],
    on: date | None,
    path: str,
    answered: Callable[[dict], SummaryRow],
    findings: QuerySet[Finding],
    key: Callable[[Finding], int],
    found: Callable[[Finding], SummaryRow],
) -> list[SummaryRow]:
    """Rows keyed by department or person: items met and not met (`path` of the answers), then
    the findings each is responsible for and how they were remediated."""
    rows: dict[int, SummaryRow] = {}
    for counted in _answer_counts(rounds, path):
        r = rows.setdefault(counted["key"], answered(counted))
        r.met += counted["met"]
        r.not_met += counted["not_met"]
    findings_of: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        r = rows.setdefault(key(finding), found(finding))
        r.findings += 1
        r.serious += finding.severity == Severity.HIGH
        findings_of[key(finding)].append(finding)
    for pk, owned in findings_of.items():
        rows[pk].stats = remediation_stats(owned, on=on)
    return sorted(rows.values(), key=lambda r: r.name)


def department_summary(rounds: Iterable[Round], *, on: date | None = None) -> list[SummaryRow]:
    """Per inspected department, for the year-end rating: checklist results and findings."""
    rounds = list(rounds)
    return _summary(
        rounds,
        on,
        "subject__department",
        lambda counted: SummaryRow(name=counted["name"]),
        Finding.objects.filter(round__in=rounds).select_related("responsible_department"),
        lambda finding: finding.responsible_department_id,
        lambda finding: SummaryRow(name=finding.responsible_department.name),
    )


def person_summary(rounds: Iterable[Round], *, on: date | None = None) -> list[SummaryRow]:
    """Per person in charge (of an inspected department or of a finding)."""
    rounds = list(rounds)
    departments = dict(
        Subject.objects.filter(round__in=rounds, person__isnull=False).values_list(
            "person_id", "department__name"
        )
    )
    return _summary(
        rounds,
        on,
        "subject__person",
        lambda counted: SummaryRow(
            name=counted["name"], department=departments.get(counted["key"], "")
        ),
        Finding.objects.filter(round__in=rounds, responsible_person__isnull=False).select_related(
            "responsible_person", "responsible_department"
        ),
        lambda finding: finding.responsible_person_id,
        lambda finding: SummaryRow(
            name=str(finding.responsible_person), department=finding.responsible_department.name
        ),
    )
