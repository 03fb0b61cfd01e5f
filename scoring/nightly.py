"""Once a day, after the reminders: every open period with drafts whose criteria read the data
gets its proposals recomputed in the worker, so that a commune opens its self-assessment (and
the province its lists) with the night's figures, not the last visit's."""

from __future__ import annotations

from datetime import date

from scoring.models import AssessmentStatus, Criterion, Period
from scoring.tasks import refresh_period_proposals


def queue_nightly(on: date) -> dict[str, int]:
    bound = Criterion.objects.exclude(rule="").values("criteria_set__framework_id")
    periods = list(
        Period.objects.filter(
            closed_at__isnull=True,
            framework_id__in=bound,
            assessments__status=AssessmentStatus.DRAFT,
        )
        .distinct()
        .values_list("pk", flat=True)
    )
    for pk in periods:
        refresh_period_proposals.enqueue(pk)
    return {"proposal_periods": len(periods)}
