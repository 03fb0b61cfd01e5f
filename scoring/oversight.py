"""What the province's oversight board needs to know of each commune's PAR-index
self-assessment in a period of a year: where it stands, its index and rank, and whether it was
handed in late. Three queries whatever the number of communes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from org.models import Unit
from scoring.models import LOCKED_STATUSES, Assessment, AssessmentStatus, Period

# A commune with no assessment opened in the period.
NOT_STARTED = "not_started"
NOT_STARTED_LABEL = _("Not started")
# The order of the stages, for sorting and filtering.
STAGES = [NOT_STARTED, *AssessmentStatus.values]


@dataclass(frozen=True)
class AssessmentFacts:
    status: str  # an AssessmentStatus value, or NOT_STARTED
    assessment_id: int | None = None
    period_id: int | None = None
    due: date | None = None  # the submission's due date for this commune
    submitted_on: date | None = None
    submitted_late: bool = False  # handed in after the due date it was held to
    overdue: bool = False  # not handed in, and its due date has passed
    index: Decimal | None = None
    rank: int | None = None
    ranked: int = 0  # assessments ranked in the period

    @property
    def submitted(self) -> bool:
        return self.status in LOCKED_STATUSES


def _ranks(rows: list[dict]) -> dict[int, int]:
    """Rank by index as `scoring.services.results.ranking` ranks: equal indexes share the
    rank, the next one skips (1, 2, 2, 4)."""
    ranks: dict[int, int] = {}
    rank, previous = 0, None
    ordered = sorted(rows, key=lambda r: -r["index"])
    for position, row in enumerate(ordered, start=1):
        if row["index"] != previous:
            rank, previous = position, row["index"]
        ranks[row["id"]] = rank
    return ranks


def assessment_facts(
    unit_ids: Sequence[int], year: int, kind: str, *, on: date
) -> dict[int, AssessmentFacts]:
    """Each unit's assessment of the `kind` period (six-month or year) of its province's `year`
    framework (its latest other period when it has none of that kind), by unit id; every unit is
    answered, NOT_STARTED when it has none."""
    # Query 1: the province of each unit; query 2: the period of each of those provinces.
    province_of = dict(
        Unit.objects.filter(pk__in=unit_ids).values_list("pk", "province_id").order_by()
    )
    # A province that runs no period of that kind this year is shown its other one (a year
    # without a year-end round yet shows the six-month round, not "not started" everywhere).
    periods: dict[int, dict] = {}
    for row in (
        Period.objects.filter(
            framework__year=year, framework__province_id__in=set(province_of.values())
        )
        .values("id", "kind", "framework__province_id", "submission_due")
        .order_by("submission_due")
    ):
        province = row["framework__province_id"]
        if province not in periods or periods[province]["kind"] != kind:
            periods[province] = row
    period_by_id = {p["id"]: p for p in periods.values()}
    # Query 3: every assessment of those periods (the ranking spans them all).
    rows = list(
        Assessment.objects.filter(period_id__in=list(period_by_id))
        .annotate(submitted_on=TruncDate("submitted_at"))
        .values(
            "id",
            "unit_id",
            "period_id",
            "status",
            "index",
            "submitted_on",
            "due_when_submitted",
            "submission_due",
        )
        .order_by()
    )
    by_period: dict[int, list[dict]] = {}
    for row in rows:
        by_period.setdefault(row["period_id"], []).append(row)
    ranks: dict[int, int] = {}
    for period_rows in by_period.values():
        ranks.update(_ranks(period_rows))
    mine = {row["unit_id"]: row for row in rows}
    facts: dict[int, AssessmentFacts] = {}
    for unit_id in unit_ids:
        row = mine.get(unit_id)
        if row is None:
            period = periods.get(province_of.get(unit_id))
            due = period["submission_due"] if period else None
            facts[unit_id] = AssessmentFacts(
                status=NOT_STARTED,
                period_id=period["id"] if period else None,
                due=due,
                overdue=bool(due and on > due),
            )
            continue
        due = row["submission_due"] or period_by_id[row["period_id"]]["submission_due"]
        submitted_on = row["submitted_on"]
        submitted = row["status"] in LOCKED_STATUSES
        facts[unit_id] = AssessmentFacts(
            status=row["status"],
            assessment_id=row["id"],
            period_id=row["period_id"],
            due=due,
            submitted_on=submitted_on,
            # The rule of Assessment.submitted_late (the local day sent after the due date it
            # was held to), on plain values.
            submitted_late=bool(
                submitted_on
                and row["due_when_submitted"]
                and submitted_on > row["due_when_submitted"]
            ),
            overdue=not submitted and on > due,
            index=row["index"],
            rank=ranks.get(row["id"]),
            ranked=len(by_period[row["period_id"]]),
        )
    return facts
