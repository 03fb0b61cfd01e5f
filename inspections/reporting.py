"""What inspections tell a periodic report: findings of the rounds held in the period up to the
report's figures' day, how many were fixed by then (on time or late) and how many were still
open or overdue then. Every clause with nothing to count is left out."""

from __future__ import annotations

from types import SimpleNamespace

from django.utils.translation import gettext as _

from core import clock
from core.numbers import format_count
from inspections.models import REMEDIATED, Finding, FindingStatus
from inspections.services import remediation_stats


def report_lines(period, department=None, *, on=None) -> list[str]:
    on = min(on or clock.today(), period.end)
    findings = Finding.objects.filter(
        round__plan__unit_id=period.unit_id,
        round__start__lte=on,
        round__start__gte=period.start,
    )
    if department is not None:
        findings = findings.filter(responsible_department=department)
    # A finding fixed after the day was still open on it.
    rows = [
        SimpleNamespace(status=status, remediated_on=fixed, deadline=deadline)
        if status not in REMEDIATED or (fixed is not None and fixed <= on)
        else SimpleNamespace(status=FindingStatus.OPEN, remediated_on=None, deadline=deadline)
        for status, fixed, deadline in findings.values_list("status", "remediated_on", "deadline")
    ]
    stats = remediation_stats(rows, on=on)
    if not stats.total:
        return []
    clauses = []
    if stats.remediated and stats.on_time == stats.remediated:
        clauses.append(_("%(fixed)s fixed on time") % {"fixed": format_count(stats.remediated)})
    elif stats.remediated and stats.on_time:
        clauses.append(
            _("%(fixed)s fixed (%(on_time)s on time)")
            % {"fixed": format_count(stats.remediated), "on_time": format_count(stats.on_time)}
        )
    elif stats.remediated:
        clauses.append(_("%(fixed)s fixed late") % {"fixed": format_count(stats.remediated)})
    if stats.open and stats.overdue:
        clauses.append(
            _("%(open)s still to fix, %(overdue)s of them overdue")
            % {"open": format_count(stats.open), "overdue": format_count(stats.overdue)}
        )
    elif stats.open:
        clauses.append(_("%(open)s still to fix") % {"open": format_count(stats.open)})
    return [
        _("CCHC inspections in the period: %(total)s shortcomings found; %(clauses)s.")
        % {"total": format_count(stats.total), "clauses": ", ".join(clauses)}
    ]
