"""The unit's satisfaction surveys a PAR-index criterion's rule counts
(`core.domains.CriterionFacts`):

- `surveys.themes`: for each campaign of the year begun by the day asked about (the survey is
  the year's, whatever part of it the assessment covers), its satisfied ratings (4 or 5) of
  all ratings counted: one item for the whole questionnaire (group "0") and one per theme (its
  section's place, "1" to "5" in the SIPAS questionnaire). Read from the kept tallies.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, Sum

from core.domains import FactItem, FactsQuery, url_maker
from surveys.models import Campaign, QuestionKind, Section, Tally

FACTS = frozenset({"surveys.themes"})
SATISFIED = 4  # a rating of 4 or 5 is satisfied (surveys.services.share)


def _themes(query: FactsQuery) -> list[FactItem]:
    campaigns = list(
        Campaign.objects.filter(
            unit_id=query.unit_id,
            starts_on__lte=query.on,
            starts_on__year__lte=query.year,
            ends_on__gte=query.start,
        )
        .values("id", "title", "ends_on", "questionnaire_id")
        .order_by("starts_on", "id")
    )
    if not campaigns:
        return []
    places: dict[int, int] = {}
    for questionnaire_id in {c["questionnaire_id"] for c in campaigns}:
        for place, section_id in enumerate(
            Section.objects.filter(questionnaire_id=questionnaire_id).values_list("id", flat=True),
            start=1,
        ):
            places[section_id] = place
    sums: dict[tuple[int, int], list[int]] = {}
    for row in (
        Tally.objects.filter(
            campaign_id__in=[c["id"] for c in campaigns], question__kind=QuestionKind.RATING
        )
        .values("campaign_id", "question__section_id")
        .annotate(total=Sum("n"), satisfied=Sum("n", filter=Q(value__gte=SATISFIED)))
        .order_by()
    ):
        place = places.get(row["question__section_id"], 0)
        for key in ((row["campaign_id"], 0), (row["campaign_id"], place)):
            counted = sums.setdefault(key, [0, 0])
            counted[0] += row["satisfied"] or 0
            counted[1] += row["total"] or 0
    items = []
    for campaign in campaigns:
        url = url_maker("survey_campaign")(campaign["id"])
        for (campaign_id, place), (satisfied, total) in sorted(sums.items()):
            if campaign_id == campaign["id"]:
                items.append(
                    FactItem(
                        title=campaign["title"],
                        url=url,
                        day=campaign["ends_on"],
                        group=str(place),
                        count=satisfied,
                        total=total,
                    )
                )
    return items


def criterion_facts(query: FactsQuery, names: Iterable[str]) -> dict[str, list[FactItem]]:
    return {"surveys.themes": _themes(query)} if "surveys.themes" in set(names) else {}
