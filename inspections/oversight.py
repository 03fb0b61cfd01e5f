"""What the province's oversight board needs to know of each commune's inspection findings: how
many are still to be fixed and how many are past their deadline. One query whatever the number
of communes.

Open and overdue mean what the findings list means by them (`services.filter_findings`): open is
not yet remediated (to be fixed, or answered and awaiting verification), overdue is still to be
fixed after its deadline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Min, Q

from inspections.models import REMEDIATED, Finding, FindingStatus


@dataclass(frozen=True)
class FindingFacts:
    found: int = 0  # recorded in the year's inspections
    open: int = 0  # not yet remediated, whatever the year they were found in
    overdue: int = 0
    oldest_deadline: date | None = None  # of the overdue ones


def finding_facts(unit_ids: Sequence[int], year: int, *, on: date) -> dict[int, FindingFacts]:
    """Each unit's findings as of `on`, from inspections of `year` and the years before, by
    unit id; units without any finding are left out."""
    overdue = Q(status=FindingStatus.OPEN, deadline__lt=on)
    rows = (
        Finding.objects.filter(round__plan__unit_id__in=unit_ids, round__start__year__lte=year)
        .values("round__plan__unit_id")
        .annotate(
            found=Count("id", filter=Q(round__start__year=year)),
            open=Count("id", filter=~Q(status__in=REMEDIATED)),
            overdue=Count("id", filter=overdue),
            oldest=Min("deadline", filter=overdue),
        )
        .order_by()
    )
    return {
        row["round__plan__unit_id"]: FindingFacts(
            found=row["found"],
            open=row["open"],
            overdue=row["overdue"],
            oldest_deadline=row["oldest"],
        )
        for row in rows
    }


@dataclass(frozen=True)
class CommonFinding:
    """A shortcoming the province's communes share: the checklist area it was recorded under
    (or, without one, its wording), how many findings and how many communes."""

    label: str
    findings: int
    communes: int


def common_findings(unit_ids: Sequence[int], year: int, *, limit: int = 5) -> list[CommonFinding]:
    """The most frequent shortcomings found in `year`'s inspections of the units: grouped by
    checklist area, else by the finding's wording; found in most communes first. One query."""
    rows = (
        Finding.objects.filter(round__plan__unit_id__in=unit_ids, round__start__year=year)
        .values("item__area__code", "item__area__name", "description", "round__plan__unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    findings: dict[str, int] = {}
    communes: dict[str, set[int]] = {}
    for row in rows:
        if row["item__area__name"]:
            code = row["item__area__code"]
            label = f"{code}. {row['item__area__name']}" if code else row["item__area__name"]
        else:
            label = " ".join(row["description"].split()).rstrip(".")
        findings[label] = findings.get(label, 0) + row["n"]
        communes.setdefault(label, set()).add(row["round__plan__unit_id"])
    ranked = sorted(findings, key=lambda k: (-len(communes[k]), -findings[k], k))
    return [CommonFinding(k, findings[k], len(communes[k])) for k in ranked[:limit]]
