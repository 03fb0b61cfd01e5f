"""The records of a unit's plans a PAR-index criterion's rule counts
(`core.domains.CriterionFacts`):

- `plans.issued`: the unit's plans of the year, `ok` once issued, grouped by kind;
- `plans.tasks`: the tasks of the year's plan that were due in the period (or finished in it),
  `ok` when done on time, grouped by reform area code;
- `plans.targets`: the targets of the year's plan, `ok` when the latest measurement meets it,
  None while not measured, grouped by target code.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Min, OuterRef, Q, Subquery

from core.domains import FactItem, FactsQuery, url_maker
from ingest.targets import Attainment, ParsedTarget, attainment
from ingest.targets import Comparator as ParsedComparator
from plans.models import Measurement, Plan, Target, Task, TaskStatus
from plans.oversight import _year_plans

FACTS = frozenset({"plans.issued", "plans.tasks", "plans.targets"})


def _plan_title(number: str, title: str) -> str:
    return f"{number} – {title}" if number else title


def _issued(query: FactsQuery) -> list[FactItem]:
    rows = (
        Plan.objects.filter(
            unit_id=query.unit_id,
            period_start__year__lte=query.year,
            period_end__year__gte=query.year,
        )
        .values("id", "number", "title", "issued_on", "kind")
        .order_by("issued_on", "id")
    )
    return [
        FactItem(
            title=_plan_title(r["number"], r["title"]),
            url=url_maker("plan_detail")(r["id"]),
            day=r["issued_on"],
            ok=r["issued_on"] is not None and r["issued_on"] <= query.on,
            group=r["kind"],
        )
        for r in rows
    ]


def _year_plan(query: FactsQuery) -> dict | None:
    return _year_plans([query.unit_id], query.year).get(query.unit_id)


def _tasks(query: FactsQuery, plan: dict | None) -> list[FactItem]:
    if plan is None:
        return []
    cutoff = min(query.on, query.end)
    # Due in the period: the first dated milestone falls in it; a task finished in the period
    # counts too, whenever it was due.
    rows = (
        Task.objects.filter(plan_id=plan["id"])
        .annotate(first_due=Min("milestones__due"))
        .filter(
            Q(first_due__gte=query.start, first_due__lte=cutoff)
            | Q(completed_on__gte=query.start, completed_on__lte=cutoff)
            | Q(status__in=[TaskStatus.OVERDUE], first_due__lte=cutoff)
        )
        .values("id", "number", "content", "status", "area__code", "first_due")
        .order_by("area__order", "order")
    )
    return [
        FactItem(
            title=f"{r['number']} {r['content'][:120]}".strip(),
            url=url_maker("task_detail")(r["id"]),
            day=r["first_due"],
            ok=r["status"] == TaskStatus.DONE,
            group=r["area__code"] or "",
        )
        for r in rows
    ]


def _targets(query: FactsQuery, plan: dict | None) -> list[FactItem]:
    if plan is None:
        return []
    latest = Measurement.objects.filter(
        target_id=OuterRef("pk"), measured_on__lte=query.on
    ).order_by("-measured_on", "-created_at", "-pk")
    items = []
    for target in (
        Target.objects.filter(plan_id=plan["id"])
        .annotate(actual=Subquery(latest.values("value")[:1]))
        .order_by("order")
    ):
        parsed = ParsedTarget(
            text="",
            comparator=ParsedComparator(target.comparator),
            value=target.value,
            value_max=target.value_max,
            unit=target.unit_label,
        )
        result = attainment(parsed, target.actual, target.baseline_value)
        ok = None if result == Attainment.NOT_MEASURED else result == Attainment.MET
        items.append(
            FactItem(
                title=target.text[:200],
                url=url_maker("plan_detail")(plan["id"]),
                ok=ok,
                group=target.code,
            )
        )
    return items


def criterion_facts(query: FactsQuery, names: Iterable[str]) -> dict[str, list[FactItem]]:
    names = set(names)
    found: dict[str, list[FactItem]] = {}
    if "plans.issued" in names:
        found["plans.issued"] = _issued(query)
    if names & {"plans.tasks", "plans.targets"}:
        plan = _year_plan(query)
        if "plans.tasks" in names:
            found["plans.tasks"] = _tasks(query, plan)
        if "plans.targets" in names:
            found["plans.targets"] = _targets(query, plan)
    return found
