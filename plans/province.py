"""What a province (or, before 7/2025, a district) follows of the communes under it: the communes
a person may choose among, their plans with task counts, and their overdue tasks, each in a fixed
number of queries whatever the number of rows.

Who may read which unit is answered by org.access (`visible_units`, `filter_visible`); everything
here only narrows that answer to the units under the one being worked on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Max, Min, Q, QuerySet

from org.access import filter_visible, visible_units
from org.models import Unit, UnitLevel
from plans.models import Plan, Task, TaskStatus

DONE = [TaskStatus.DONE, TaskStatus.DONE_LATE]
# The plans whose tasks the province follows: approved and being carried out, not drafts nor
# closed ones.


def follows_communes(unit: Unit) -> bool:
    """A unit above the commune level looks at the work of the communes under it."""
    return unit.level != UnitLevel.COMMUNE


def communes_under(user: Any, unit: Unit) -> list[Unit]:
    """The commune-level units under `unit` that `user` may read, by name."""
    units = visible_units(user).filter(level=UnitLevel.COMMUNE)
    if unit.level == UnitLevel.PROVINCE:
        units = units.filter(province_id=unit.pk)
    elif unit.level == UnitLevel.DISTRICT:
        units = units.filter(parent_id=unit.pk)
    else:
        units = units.filter(pk=unit.pk)
    return list(units.order_by("name", "pk"))


def _chosen_units(communes: list[Unit], commune: int | None) -> list[int]:
    ids = [u.pk for u in communes]
    return [commune] if commune in ids else ids


def plans_of(
    user: Any,
    communes: list[Unit],
    *,
    commune: int | None = None,
    year: int | None = None,
    status: str | None = None,
) -> QuerySet[Plan]:
    """The communes' plans (one commune's, when chosen), narrowed by year and status."""
    plans = filter_visible(user, Plan.objects.all()).filter(
        unit_id__in=_chosen_units(communes, commune)
    )
    if year:
        plans = plans.filter(period_start__year__lte=year, period_end__year__gte=year)
    if status:
        plans = plans.filter(status=status)
    return plans


def with_task_counts(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    """Each plan with its number of tasks, done and overdue, counted in the same query."""
    return plans.select_related("unit").annotate(
        task_count=Count("tasks"),
        done_count=Count("tasks", filter=Q(tasks__status__in=DONE)),
        overdue_count=Count("tasks", filter=Q(tasks__status=TaskStatus.OVERDUE)),
    )


def plan_years(plans: QuerySet[Plan]) -> list[int]:
    """The years the plans cover, latest first, for the year filter."""
    span = plans.aggregate(first=Min("period_start"), last=Max("period_end"))
    if span["first"] is None:
        return []
    return list(range(span["last"].year, span["first"].year - 1, -1))


def overdue_tasks(user: Any, communes: list[Unit], *, commune: int | None = None) -> QuerySet[Task]:
    """Overdue tasks of the communes' followed plans, the latest first (the earliest missed due
    date first)."""
    return (
        filter_visible(user, Task.objects.in_force(), "plan__unit")
        .filter(
            plan__unit_id__in=_chosen_units(communes, commune),
            status=TaskStatus.OVERDUE,
        )
        .select_related("plan__unit", "area", "lead_department")
        .order_by(F("next_due").asc(nulls_last=True), "plan__unit__name", "plan_id", "order", "pk")
    )


def followed_plans(
    user: Any, communes: list[Unit], *, commune: int | None = None
) -> QuerySet[Plan]:
    """The plans whose tasks' statuses the overdue list reads."""
    return plans_of(user, communes, commune=commune).in_force()


@dataclass(frozen=True)
class OverdueRow:
    pk: int
    commune: str
    plan_id: int
    plan: str
    number: str
    content: str
    lead: str
    due: date | None
    days_late: int | None


def overdue_rows(tasks: list[Task], on: date) -> list[OverdueRow]:
    """One page of overdue tasks as plain rows, with the days each is late by on `on`."""
    return [
        OverdueRow(
            pk=task.pk,
            commune=task.plan.unit.full_name,
            plan_id=task.plan_id,
            plan=task.plan.title,
            number=f"{task.area.code}.{task.number}" if task.number else task.area.code,
            content=task.content,
            lead=task.lead_department.label,
            due=task.next_due,
            days_late=(on - task.next_due).days if task.next_due else None,
        )
        for task in tasks
    ]
