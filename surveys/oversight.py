"""What the province's oversight board needs to know of each commune's satisfaction surveys in a
year: the share of satisfied answers over its campaigns of the year. Two queries whatever the
number of communes.

The share is the surveys' own (`services.share`): ratings of 4 or 5 over all rating answers of
the answers not excluded, pooled over every campaign of the year that ran in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum

from surveys.models import Campaign, Response
from surveys.services import share


@dataclass(frozen=True)
class SatisfactionFacts:
    campaigns: int = 0
    campaign_id: int | None = None  # the one campaign, when there is exactly one
    responses: int = 0
    ratings: int = 0  # rating answers counted
    satisfied: int = 0

    @property
    def share(self) -> Decimal | None:
        return share(self.satisfied, self.ratings)


def _of_year(year: int, prefix: str = "") -> Q:
    return Q(
        **{f"{prefix}starts_on__lte": date(year, 12, 31), f"{prefix}ends_on__gte": date(year, 1, 1)}
    )


def satisfaction_facts(unit_ids: Sequence[int], year: int) -> dict[int, SatisfactionFacts]:
    """Each unit's campaigns running in `year` and their pooled answers, by unit id; units
    without a campaign that year are left out."""
    campaigns = {
        row["unit_id"]: row
        for row in Campaign.objects.filter(_of_year(year), unit_id__in=unit_ids)
        .values("unit_id")
        .annotate(n=Count("id"), last=Max("id"))
        .order_by()
    }
    answers = {
        row["campaign__unit_id"]: row
        for row in Response.objects.filter(
            _of_year(year, "campaign__"), campaign__unit_id__in=unit_ids, excluded=False
        )
        .values("campaign__unit_id")
        .annotate(n=Count("id"), ratings=Sum("rating_count"), satisfied=Sum("satisfied_count"))
        .order_by()
    }
    facts = {}
    for unit_id, campaign in campaigns.items():
        counted = answers.get(unit_id, {})
        facts[unit_id] = SatisfactionFacts(
            campaigns=campaign["n"],
            campaign_id=campaign["last"] if campaign["n"] == 1 else None,
            responses=counted.get("n", 0),
            ratings=counted.get("ratings") or 0,
            satisfied=counted.get("satisfied") or 0,
        )
    return facts
