"""The unit's inspections a PAR-index criterion's rule counts (`core.domains.CriterionFacts`):

- `inspections.rounds`: the rounds that started in the period by the day asked about, `ok` once
  under way or concluded, grouped by kind (periodic, ad hoc);
- `inspections.self_checks`: the self-checks asked for in those rounds, `ok` once sent;
- `inspections.findings`: the findings whose fix was due in the period, `ok` when fixed by the
  deadline (a fix not yet verified counts from its date);
- `inspections.open_findings`: the findings still to be fixed that name a criterion, grouped by
  the criterion's id (shown on that criterion's page).
"""

from __future__ import annotations

from collections.abc import Iterable

from core.domains import FactItem, FactsQuery, url_maker
from inspections.models import REMEDIATED, Finding, Round, RoundStatus, Subject

FACTS = frozenset(
    {
        "inspections.rounds",
        "inspections.self_checks",
        "inspections.findings",
        "inspections.open_findings",
    }
)


def _rounds(query: FactsQuery, cutoff) -> list[FactItem]:
    rows = Round.objects.filter(
        plan__unit_id=query.unit_id, start__gte=query.start, start__lte=cutoff
    ).values("id", "name", "start", "status", "kind")
    return [
        FactItem(
            title=r["name"],
            url=url_maker("inspection_round_detail")(r["id"]),
            day=r["start"],
            ok=r["status"] in (RoundStatus.IN_PROGRESS, RoundStatus.CONCLUDED),
            group=r["kind"],
        )
        for r in rows.order_by("start", "id")
    ]


def _self_checks(query: FactsQuery, cutoff) -> list[FactItem]:
    rows = Subject.objects.filter(
        round__plan__unit_id=query.unit_id,
        round__start__gte=query.start,
        round__start__lte=cutoff,
    ).values("id", "round__name", "department__name", "submitted_on", "round__kind")
    return [
        FactItem(
            title=f"{r['round__name']} – {r['department__name']}",
            url=url_maker("inspection_subject_detail")(r["id"]),
            day=r["submitted_on"],
            ok=r["submitted_on"] is not None and r["submitted_on"] <= cutoff,
            group=r["round__kind"],
        )
        for r in rows.order_by("round__start", "id")
    ]


def _findings(query: FactsQuery, cutoff) -> list[FactItem]:
    rows = Finding.objects.filter(
        round__plan__unit_id=query.unit_id, deadline__gte=query.start, deadline__lte=cutoff
    ).values("id", "description", "deadline", "remediated_on", "criterion_id")
    return [
        FactItem(
            title=r["description"][:160],
            url=url_maker("finding_detail")(r["id"]),
            day=r["deadline"],
            ok=r["remediated_on"] is not None and r["remediated_on"] <= r["deadline"],
            group=str(r["criterion_id"] or ""),
        )
        for r in rows.order_by("deadline", "id")
    ]


def _open_findings(query: FactsQuery) -> list[FactItem]:
    rows = (
        Finding.objects.filter(round__plan__unit_id=query.unit_id, criterion__isnull=False)
        .exclude(status__in=REMEDIATED)
        .values("id", "description", "deadline", "criterion_id")
    )
    return [
        FactItem(
            title=r["description"][:160],
            url=url_maker("finding_detail")(r["id"]),
            day=r["deadline"],
            ok=False,
            group=str(r["criterion_id"]),
        )
        for r in rows.order_by("deadline", "id")
    ]


def criterion_facts(query: FactsQuery, names: Iterable[str]) -> dict[str, list[FactItem]]:
    names = set(names)
    cutoff = min(query.on, query.end)
    found: dict[str, list[FactItem]] = {}
    if "inspections.rounds" in names:
        found["inspections.rounds"] = _rounds(query, cutoff)
    if "inspections.self_checks" in names:
        found["inspections.self_checks"] = _self_checks(query, cutoff)
    if "inspections.findings" in names:
        found["inspections.findings"] = _findings(query, cutoff)
    if "inspections.open_findings" in names:
        found["inspections.open_findings"] = _open_findings(query)
    return found
