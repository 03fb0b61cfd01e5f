"""What the PAR-index self-assessment tells a periodic report: the unit's points and index of the
assessment of the same kind and year (the six-month one for a six-month report, the year's for
the year report), as they stood on the report's figures' day."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from core.numbers import format_number
from scoring.models import Assessment, AssessmentStatus

KINDS = {"six_month": "six_month", "year": "year"}


def _by(moment, on) -> bool:
    return moment is not None and timezone.localdate(moment) <= on


def report_lines(period, department=None, *, on=None) -> list[str]:
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
    today = clock.today()
    live = on is None or on >= today
    on = on or today
    name = assessment.period.name
    if assessment.status in (AssessmentStatus.DRAFT, AssessmentStatus.APPROVED) or not _by(
        assessment.submitted_at, on
    ):
        if not live:
            # The points kept now may have changed since the day: only the state is told.
            return [_("PAR index (%(period)s): being self-assessed.") % {"period": name}]
        return [
            _("PAR index (%(period)s): %(points)s self-assessed points so far.")
            % {"period": name, "points": format_number(assessment.self_points)}
        ]
    if not _by(assessment.appraised_at, on):
        return [
            _("PAR index (%(period)s): %(self)s self-assessed points, sent to the province.")
            % {"period": name, "self": format_number(assessment.self_points)}
        ]
    return [
        _("PAR index (%(period)s): %(self)s self-assessed points; index %(index)s (%(status)s).")
        % {
            "period": name,
            "self": format_number(assessment.self_points),
            "index": format_number(assessment.index),
            "status": assessment.get_status_display().lower(),
        }
    ]
