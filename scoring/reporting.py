"""What the PAR-index self-assessment tells a periodic report: the unit's points and index of the
assessment of the same kind and year (the six-month one for a six-month report, the year's for
the year report)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.numbers import format_number
from scoring.models import Assessment, AssessmentStatus

KINDS = {"six_month": "six_month", "year": "year"}


def report_lines(period, department=None) -> list[str]:
    kind = KINDS.get(period.kind)
    if kind is None or department is not None:
        return []
    assessment = (
        Assessment.objects.filter(
            unit_id=period.unit_id, period__kind=kind, period__framework__year=period.year
        )
        .select_related("period")
        .first()
    )
    if assessment is None:
        return []
    if assessment.status in (AssessmentStatus.DRAFT, AssessmentStatus.APPROVED):
        return [
            _("PAR index (%(period)s): %(points)s self-assessed points so far.")
            % {"period": assessment.period.name, "points": format_number(assessment.self_points)}
        ]
    return [
        _("PAR index (%(period)s): %(self)s self-assessed points; index %(index)s (%(status)s).")
        % {
            "period": assessment.period.name,
            "self": format_number(assessment.self_points),
            "index": format_number(assessment.index),
            "status": assessment.get_status_display().lower(),
        }
    ]
