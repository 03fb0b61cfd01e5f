"""The unit's initiatives a PAR-index criterion's rule counts (`core.domains.CriterionFacts`):

- `initiatives.decided`: the initiatives decided on in the period by the day asked about, `ok`
  when recognised, grouped by the level ("commune", "province"; "" when not recognised).
"""

from __future__ import annotations

from collections.abc import Iterable

from core.domains import FactItem, FactsQuery, url_maker
from initiatives.models import Initiative, InitiativeStatus

FACTS = frozenset({"initiatives.decided"})
LEVEL = {
    InitiativeStatus.RECOGNISED_COMMUNE: "commune",
    InitiativeStatus.RECOGNISED_PROVINCE: "province",
}


def _decided(query: FactsQuery) -> list[FactItem]:
    cutoff = min(query.on, query.end)
    rows = Initiative.objects.filter(
        unit_id=query.unit_id, decided_on__gte=query.start, decided_on__lte=cutoff
    ).values("id", "title", "decided_on", "status")
    return [
        FactItem(
            title=r["title"][:200],
            url=url_maker("initiative_detail")(r["id"]),
            day=r["decided_on"],
            ok=r["status"] in LEVEL,
            group=LEVEL.get(r["status"], ""),
        )
        for r in rows.order_by("decided_on", "id")
    ]


def criterion_facts(query: FactsQuery, names: Iterable[str]) -> dict[str, list[FactItem]]:
    return {"initiatives.decided": _decided(query)} if "initiatives.decided" in set(names) else {}
