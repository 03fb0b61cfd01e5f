"""What the province's oversight board needs to know of each commune's plan of a year, read in a
fixed number of grouped queries whatever the number of communes.

The year's plan of a commune is its CCHC plan covering the year: an annual plan first, then a
six-month plan, then any other kind but an inspection plan; among plans of the same kind the
latest issued. Its tasks, overdue work and targets are counted here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery

from ingest.targets import Attainment, ParsedTarget, attainment
from ingest.targets import Comparator as ParsedComparator
from plans.models import (
    DocumentImport,
    Measurement,
    Milestone,
    Plan,
    PlanKind,
    PlanStatus,
    Target,
    Task,
    TaskStatus,
)

# Which plan stands for the commune's year, best first.
KIND_PREFERENCE = {
    PlanKind.ANNUAL: 0,
    PlanKind.SIX_MONTH: 1,
    PlanKind.CRITERIA: 3,
    PlanKind.COMMUNICATION: 3,
    PlanKind.OTHER: 2,
}
# A draft that came from an imported document is shown as such.
IMPORTED = "imported"


@dataclass(frozen=True)
class PlanFacts:
    """One commune's plan of the year, its tasks and its targets."""

    plan_id: int
    title: str
    kind: str
    number: str
    issued_on: date | None
    status: str  # a PlanStatus value, or IMPORTED for a draft read from a document
    tasks: int = 0
    done: int = 0  # done, on time or late
    done_late: int = 0
    overdue: int = 0
    oldest_overdue_id: int | None = None
    oldest_overdue_number: str = ""
    oldest_overdue_content: str = ""
    oldest_overdue_due: date | None = None
    targets_met: int = 0
    targets_not_met: int = 0
    targets_not_measured: int = 0

    @property
    def done_share(self) -> Decimal | None:
        """Tasks done (on time or late) in per cent of all tasks; None without tasks."""
        if not self.tasks:
            return None
        return Decimal(100 * self.done) / Decimal(self.tasks)

    @property
    def targets(self) -> int:
        return self.targets_met + self.targets_not_met + self.targets_not_measured


def _year_plans(unit_ids: Sequence[int], year: int) -> dict[int, dict]:
    """The plan standing for each unit's year (query 1)."""
    rows = (
        Plan.objects.filter(
            unit_id__in=unit_ids, period_start__year__lte=year, period_end__year__gte=year
        )
        .exclude(kind=PlanKind.INSPECTION)
        .annotate(
            imported=Exists(DocumentImport.objects.filter(plan_id=OuterRef("pk"))),
            counted=Exists(Plan.objects.counted().filter(pk=OuterRef("pk"))),
        )
        .values(
            "id",
            "unit_id",
            "title",
            "kind",
            "number",
            "issued_on",
            "status",
            "imported",
            "counted",
            "period_start",
        )
        .order_by()
    )
    chosen: dict[int, dict] = {}
    for row in rows:
        key = (
            not row["counted"],  # a draft stands for the year only when nothing else does
            KIND_PREFERENCE.get(row["kind"], 9),
            -(row["issued_on"] or row["period_start"]).toordinal(),
            -row["id"],
        )
        best = chosen.get(row["unit_id"])
        if best is None or key < best["key"]:
            row["key"] = key
            chosen[row["unit_id"]] = row
    return chosen


DONE = [TaskStatus.DONE, TaskStatus.DONE_LATE]


def _open_work() -> Q:
    """A milestone's task not finished: the test `plans.services.compute_status` makes first."""
    return Q(task__completed_on__isnull=True, task__progress_percent__lt=100) & ~Q(
        task__status__in=DONE
    )


def plan_facts(unit_ids: Sequence[int], year: int, *, on: date) -> dict[int, PlanFacts]:
    """Each unit's plan of `year` with its figures as of `on`, by unit id; units without a plan
    are left out. Five queries whatever the number of units.

    Overdue is derived from the milestones as `plans.services.compute_status` derives it (an
    unfinished task with a dated milestone not met before `on`), so the count does not wait for
    the daily refresh of the stored statuses.
    """
    plans = _year_plans(unit_ids, year)
    # A draft is shown with its status but counts nothing until a person activates it.
    plan_ids = [p["id"] for p in plans.values() if p["counted"]]

    # Query 2: tasks per plan.
    counts = {
        row["plan_id"]: row
        for row in Task.objects.filter(plan_id__in=plan_ids)
        .values("plan_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status__in=DONE)),
            late=Count("id", filter=Q(status=TaskStatus.DONE_LATE)),
        )
        .order_by()
    }

    # Query 3: each overdue task with its oldest missed due date; query 4: what the oldest
    # overdue task of each plan is.
    overdue: dict[int, int] = {}
    first: dict[int, tuple] = {}
    for plan_id, task_id, order, due in (
        Milestone.objects.filter(
            _open_work(), task__plan_id__in=plan_ids, due__lt=on, done_on__isnull=True
        )
        .values_list("task__plan_id", "task_id", "task__order")
        .annotate(oldest=Min("due"))
        .order_by()
    ):
        overdue[plan_id] = overdue.get(plan_id, 0) + 1
        key = (due, order, task_id)
        if plan_id not in first or key < first[plan_id]:
            first[plan_id] = key
    oldest = {
        row["plan_id"]: row
        for row in Task.objects.filter(pk__in=[key[2] for key in first.values()])
        .values("plan_id", "id", "number", "content")
        .order_by()
    }

    # Query 5: targets with their latest actual value.
    latest = Measurement.objects.filter(target_id=OuterRef("pk")).order_by(
        "-measured_on", "-created_at", "-pk"
    )
    attained: dict[int, dict[str, int]] = {}
    # Many targets read alike ("Tối thiểu 90% …"): each distinct one is judged once.
    judged: dict[tuple, Attainment] = {}
    for plan_id, *target in (
        Target.objects.filter(plan_id__in=plan_ids)
        .annotate(actual=Subquery(latest.values("value")[:1]))
        .values_list(
            "plan_id", "comparator", "value", "value_max", "unit_label", "baseline_value", "actual"
        )
        .order_by()
    ):
        key = tuple(target)
        result = judged.get(key)
        if result is None:
            comparator, value, value_max, unit, baseline, actual = target
            parsed = ParsedTarget(
                text="",
                comparator=ParsedComparator(comparator),
                value=value,
                value_max=value_max,
                unit=unit,
            )
            result = judged[key] = attainment(parsed, actual, baseline)
        counted = attained.setdefault(plan_id, {})
        counted[result] = counted.get(result, 0) + 1

    facts: dict[int, PlanFacts] = {}
    for unit_id, plan in plans.items():
        pid = plan["id"]
        tasks = counts.get(pid, {})
        late = oldest.get(pid)
        targets = attained.get(pid, {})
        status = plan["status"]
        if status == PlanStatus.DRAFT and plan["imported"]:
            status = IMPORTED
        facts[unit_id] = PlanFacts(
            plan_id=pid,
            title=plan["title"],
            kind=plan["kind"],
            number=plan["number"],
            issued_on=plan["issued_on"],
            status=status,
            tasks=tasks.get("total", 0),
            done=tasks.get("done", 0),
            done_late=tasks.get("late", 0),
            overdue=overdue.get(pid, 0),
            oldest_overdue_id=late["id"] if late else None,
            oldest_overdue_number=late["number"] if late else "",
            oldest_overdue_content=late["content"] if late else "",
            oldest_overdue_due=first[pid][0] if late else None,
            targets_met=targets.get(Attainment.MET, 0),
            targets_not_met=targets.get(Attainment.NOT_MET, 0),
            targets_not_measured=targets.get(Attainment.NOT_MEASURED, 0),
        )
    return facts
