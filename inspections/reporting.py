"""What inspections tell a periodic report: findings of the rounds held in the period, how many
were fixed (on time or late) and how many are still open or overdue."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core import clock
from inspections.models import Finding
from inspections.services.figures import remediation_stats


def report_lines(period, department=None) -> list[str]:
    findings = Finding.objects.filter(
        round__plan__unit_id=period.unit_id,
        round__start__lte=period.end,
        round__start__gte=period.start,
    )
    if department is not None:
        findings = findings.filter(responsible_department=department)
    stats = remediation_stats(findings, on=min(period.end, clock.today()))
    if not stats.total:
        return []
    return [
        _(
            "CCHC inspections in the period: %(total)d shortcomings found; %(fixed)d fixed "
            "(%(on_time)d on time), %(open)d still to fix, %(overdue)d of them overdue."
        )
        % {
            "total": stats.total,
            "fixed": stats.remediated,
            "on_time": stats.on_time,
            "open": stats.open,
            "overdue": stats.overdue,
        }
    ]
