"""Figures for the commune dashboard and the board, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, QuerySet

from org.models import Unit
from plans.models import Milestone, Plan, Task, TaskStatus
from plans.services import active_plans
from plans.tables import TargetRow, target_rows

DONE = [TaskStatus.DONE, TaskStatus.DONE_LATE]


@dataclass
class Completion:
    label: str
    total: int = 0
    done: int = 0
    overdue: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass(frozen=True)
class Upcoming:
    """A milestone due soon, as the dashboard lists it."""

    due: date
    task_id: int
    area_code: str
    number: str
    content: str
    lead: str


@dataclass
class Dashboard:
    plans: list[Plan]
    by_area: list[Completion]
    by_department: list[Completion]
    status_counts: dict[str, int]
    targets: list[TargetRow]
    upcoming: list[Upcoming]
    overdue_tasks: list[Task] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.status_counts.values())

    @property
    def done(self) -> int:
        return sum(self.status_counts.get(s, 0) for s in DONE)

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def _completion(rows, key: str, label: str) -> list[Completion]:
    groups: dict[object, Completion] = {}
    for row in rows:
        item = groups.setdefault(row[key], Completion(label=row[label]))
        item.total += row["n"]
        if row["status"] in DONE:
            item.done += row["n"]
        elif row["status"] == TaskStatus.OVERDUE:
            item.overdue += row["n"]
    return list(groups.values())


def build(
    unit: Unit, *, on: date, upcoming_days: int = 14, plans: list[Plan] | None = None
) -> Dashboard:
    """`plans`: the unit's active plans when the caller has them already."""
    plans = list(active_plans(unit)) if plans is None else plans
    # One grouped query gives the counts by area, by department and by status: tasks by
    # department (in the departments' order), area and status.
    counts = list(
        Task.objects.filter(plan__in=plans)
        .values(
            "lead_department_id",
            "lead_department__name",
            "area__order",
            "area__name",
            "status",
        )
        .annotate(n=Count("id"))
        .order_by("lead_department__order", "lead_department__name", "lead_department_id")
    )
    status_counts: dict[str, int] = defaultdict(int)
    for row in counts:
        status_counts[row["status"]] += row["n"]
    upcoming = (
        Milestone.objects.filter(
            task__plan__in=plans,
            done_on__isnull=True,
            due__gte=on,
            due__lte=on + timedelta(days=upcoming_days),
        )
        .order_by("due")
        .values_list(
            "due",
            "task_id",
            "task__area__code",
            "task__number",
            "task__content",
            "task__lead_department__short_name",
            "task__lead_department__name",
        )[:20]
    )
    return Dashboard(
        plans=plans,
        by_area=_completion(
            sorted(counts, key=lambda row: row["area__order"]), "area__name", "area__name"
        ),
        by_department=_completion(counts, "lead_department_id", "lead_department__name"),
        status_counts=status_counts,
        targets=target_rows(plans),
        upcoming=[
            Upcoming(due, task_id, code, number, content, short or name)
            for due, task_id, code, number, content, short, name in upcoming
        ],
    )


def board(unit: Unit, *, on: date) -> tuple[QuerySet[Task], QuerySet[Task]]:
    """Overdue tasks, and tasks due this week (Monday to Sunday)."""
    week_end = on + timedelta(days=6 - on.weekday())
    tasks = Task.objects.filter(plan__in=active_plans(unit))
    overdue = tasks.filter(status=TaskStatus.OVERDUE)
    due_soon = tasks.filter(next_due__gte=on, next_due__lte=week_end).exclude(
        status=TaskStatus.OVERDUE
    )
    return overdue, due_soon
