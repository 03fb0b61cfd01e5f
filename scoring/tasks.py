"""Background work of the PAR index: a period's proposals recomputed for every commune at once."""

from __future__ import annotations

from django_tasks import task

from scoring import services
from scoring.models import Period


@task()
def refresh_period_proposals(period_id: int) -> dict:
    """Every draft of the period gets its proposals recomputed; the counts are the task's result
    (kept with it by the database backend)."""
    period = Period.objects.select_related("framework").get(pk=period_id)
    return services.refresh_period(period).as_dict()
