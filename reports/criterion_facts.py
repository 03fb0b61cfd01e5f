"""The unit's periodic reports a PAR-index criterion's rule counts (`core.domains.CriterionFacts`):

- `reports.sent`: every report due in the period by the day asked about, or sent by then, `ok`
  when sent on time (by the mark recorded when it was sent), grouped by period kind.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from core.domains import FactItem, FactsQuery, url_maker
from reports.models import ReportingPeriod, ReportStatus, period_label

FACTS = frozenset({"reports.sent"})


def _sent(query: FactsQuery) -> list[FactItem]:
    cutoff = min(query.on, query.end)
    rows = (
        ReportingPeriod.objects.filter(unit_id=query.unit_id, unit_due__gte=query.start)
        .filter(
            Q(unit_due__lte=cutoff)
            | Q(report__status=ReportStatus.SENT, report__sent_at__date__lte=cutoff)
        )
        .values("id", "kind", "year", "number", "unit_due", "report__status", "report__sent_late")
        .order_by("kind", "year", "number", "-report__status", "id")
    )
    seen: set[tuple] = set()
    items = []
    for r in rows:
        key = (r["kind"], r["year"], r["number"])
        if key in seen:  # several plans asking for the same period: one report is expected
            continue
        seen.add(key)
        sent = r["report__status"] == ReportStatus.SENT
        items.append(
            FactItem(
                title=str(period_label(r["kind"], r["year"], r["number"])),
                url=url_maker("report_period")(r["id"]),
                day=r["unit_due"],
                ok=sent and not r["report__sent_late"],
                group=r["kind"],
            )
        )
    return sorted(items, key=lambda i: i.day)


def criterion_facts(query: FactsQuery, names: Iterable[str]) -> dict[str, list[FactItem]]:
    return {"reports.sent": _sent(query)} if "reports.sent" in set(names) else {}
