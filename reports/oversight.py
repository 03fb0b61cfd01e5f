"""What the province's oversight board needs to know of each commune's periodic reports of a
year: for every reporting period, sent on time, sent late, missing or not yet due. One query
whatever the number of communes.

The periods are those a full year's plan calls for (`services.planned_periods`): the first
quarter, the first six months, the third quarter and the year. A commune whose plan has no
period row yet is held to the default due date (`services.default_due_dates`): a report is
expected from every commune, with or without its plan in the system.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from reports.models import PeriodKind, ReportingPeriod, ReportStatus, period_label
from reports.services import default_due_dates


class ReportState(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    NOT_DUE = "not_due"

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self])


STATE_LABELS = {
    ReportState.ON_TIME: _("Sent on time"),
    ReportState.LATE: _("Sent late"),
    ReportState.MISSING: _("Missing"),
    ReportState.NOT_DUE: _("Not yet due"),
}


@dataclass(frozen=True)
class Period:
    """A reporting period of the year, as the board offers it."""

    key: str
    kind: str
    number: int

    def label(self, year: int) -> str:
        return period_label(self.kind, year, self.number)

    def end(self, year: int) -> date:
        month = {PeriodKind.QUARTER: self.number * 3, PeriodKind.SIX_MONTH: self.number * 6}.get(
            self.kind, 12
        )
        return date(year, month, calendar.monthrange(year, month)[1])

    def due(self, year: int) -> date:
        """The commune's default due date: the 10th of the period's last month."""
        return default_due_dates(self.end(year))[1]


PERIODS: tuple[Period, ...] = (
    Period("q1", PeriodKind.QUARTER, 1),
    Period("h1", PeriodKind.SIX_MONTH, 1),
    Period("q3", PeriodKind.QUARTER, 3),
    Period("year", PeriodKind.YEAR, 0),
)
BY_KEY = {p.key: p for p in PERIODS}
_BY_KIND = {(p.kind, p.number): p for p in PERIODS}


@dataclass(frozen=True)
class ReportFacts:
    state: ReportState
    due: date
    sent_on: date | None = None
    period_id: int | None = None  # the commune's reporting period, when it exists
    report_status: str = ""  # the report's ReportStatus, "" while it has none


def _state(sent_on: date | None, sent_late: bool, due: date, on: date) -> ReportState:
    if sent_on is not None:
        return ReportState.LATE if sent_late else ReportState.ON_TIME
    return ReportState.MISSING if on > due else ReportState.NOT_DUE


def report_facts(
    unit_ids: Sequence[int], year: int, *, on: date
) -> dict[str, dict[int, ReportFacts]]:
    """{period key: {unit id: facts}} for every period of `year` and every unit, in one query.

    A report is late by the mark recorded when it was sent (`Report.sent_late`), never by a due
    date moved afterwards. Where a unit has several plans with the same period, the sent report
    counts, else the latest plan's.
    """
    rows = (
        ReportingPeriod.objects.filter(unit_id__in=unit_ids, year=year)
        .annotate(sent_on=TruncDate("report__sent_at"))
        .values(
            "id",
            "unit_id",
            "kind",
            "number",
            "unit_due",
            "plan_id",
            "report__status",
            "sent_on",
            "report__sent_late",
        )
        .order_by()
    )
    found: dict[tuple[str, int], dict] = {}
    for row in rows:
        period = _BY_KIND.get((row["kind"], row["number"]))
        if period is None:
            continue
        key = (row["report__status"] == ReportStatus.SENT, row["plan_id"])
        best = found.get((period.key, row["unit_id"]))
        if best is None or key > best["key"]:
            row["key"] = key
            found[(period.key, row["unit_id"])] = row
    facts: dict[str, dict[int, ReportFacts]] = {}
    for period in PERIODS:
        default_due = period.due(year)
        per_unit = facts[period.key] = {}
        for unit_id in unit_ids:
            row = found.get((period.key, unit_id))
            if row is None:
                per_unit[unit_id] = ReportFacts(_state(None, False, default_due, on), default_due)
                continue
            sent_on = row["sent_on"] if row["report__status"] == ReportStatus.SENT else None
            per_unit[unit_id] = ReportFacts(
                state=_state(sent_on, bool(row["report__sent_late"]), row["unit_due"], on),
                due=row["unit_due"],
                sent_on=sent_on,
                period_id=row["id"],
                report_status=row["report__status"] or "",
            )
    return facts
