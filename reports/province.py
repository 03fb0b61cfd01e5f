"""The province's view of its communes' periodic reports: for every period a commune's plans call
for, whether its report was sent on time, sent late, is missing or is not due yet.

A period the commune has not opened yet (its report page creates periods when first visited) is
still listed, from the plan's span and the default due dates: a commune that never looked at its
reports is the one the province most needs to see. Nothing is written here; two queries read the
plans and the periods with their reports, whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from org.access import filter_visible
from org.models import Unit
from plans.models import Plan
from reports.models import Report, ReportingPeriod, ReportStatus, period_label
from reports.services import default_due_dates, planned_periods


class ReportState(models.TextChoices):
    ON_TIME = "on_time", _("Sent on time")
    LATE = "late", _("Sent late")
    MISSING = "missing", _("Missing")
    NOT_DUE = "not_due", _("Not due yet")


def report_state(report: Report | None, unit_due: date, on: date) -> ReportState:
    """Where a commune's report of a period stands on `on`."""
    if report is not None and report.status == ReportStatus.SENT:
        return ReportState.LATE if report.sent_late else ReportState.ON_TIME
    return ReportState.MISSING if on > unit_due else ReportState.NOT_DUE


def period_key(kind: str, year: int, number: int) -> str:
    """The period as the filter names it: "quarter-2026-1", "year-2026-0"."""
    return f"{kind}-{year}-{number}"


@dataclass(frozen=True)
class ReportRow:
    commune_id: int
    commune: str
    plan: str
    key: str
    label: str
    start: date
    end: date
    unit_due: date
    period_id: int | None
    report_status: str
    report_status_label: str
    sent_on: date | None
    state: str
    state_label: str


def _row(
    plan: Plan,
    kind: str,
    year: int,
    number: int,
    start: date,
    end: date,
    unit_due: date,
    period: ReportingPeriod | None,
    on: date,
) -> ReportRow:
    report = getattr(period, "report", None) if period is not None else None
    state = report_state(report, unit_due, on)
    return ReportRow(
        commune_id=plan.unit_id,
        commune=plan.unit.full_name,
        plan=plan.title,
        key=period_key(kind, year, number),
        label=period_label(kind, year, number),
        start=start,
        end=end,
        unit_due=unit_due,
        period_id=period.pk if period is not None else None,
        report_status=report.status if report is not None else "",
        report_status_label=report.get_status_display() if report is not None else "",
        sent_on=report.sent_at.date() if report is not None and report.sent_at else None,
        state=state.value,
        state_label=str(state.label),
    )


def commune_reports(user: Any, communes: list[Unit], on: date) -> list[ReportRow]:
    """Every begun period of the communes' plans, the latest due first, then by commune."""
    ids = [u.pk for u in communes]
    periods = (
        filter_visible(user, ReportingPeriod.objects.all(), "unit")
        .filter(unit_id__in=ids, plan__in=Plan.objects.counted())
        .select_related("plan__unit", "report")
    )
    rows: list[ReportRow] = []
    known: set[tuple[int, str, int, int]] = set()
    for p in periods:
        known.add((p.plan_id, p.kind, p.year, p.number))
        report = getattr(p, "report", None)
        if p.start <= on or report is not None:
            rows.append(_row(p.plan, p.kind, p.year, p.number, p.start, p.end, p.unit_due, p, on))
    plans = (
        filter_visible(user, Plan.objects.counted()).filter(unit_id__in=ids).select_related("unit")
    )
    for plan in plans:
        for kind, year, number, start, end in planned_periods(plan):
            if (plan.pk, kind, year, number) in known or start > on:
                continue
            unit_due = default_due_dates(end)[1]
            rows.append(_row(plan, kind, year, number, start, end, unit_due, None, on))
    rows.sort(key=lambda r: (-r.unit_due.toordinal(), r.commune, r.plan, r.key))
    return rows


def period_choices(rows: list[ReportRow]) -> list[tuple[str, str]]:
    """The periods found in `rows`, latest first, for the period filter."""
    seen: dict[str, tuple[date, str]] = {}
    for r in rows:
        seen.setdefault(r.key, (r.end, r.label))
    latest_first = sorted(seen.items(), key=lambda item: item[1][0], reverse=True)
    return [(key, label) for key, (_end, label) in latest_first]


def filter_rows(
    rows: list[ReportRow],
    *,
    commune: int | None = None,
    period: str | None = None,
    state: str | None = None,
) -> list[ReportRow]:
    return [
        r
        for r in rows
        if (commune is None or r.commune_id == commune)
        and (not period or r.key == period)
        and (not state or r.state == state)
    ]
