"""The plan tasks a person carries, counted for "My work" (`core.domains.WorkSource`)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core.domains import StandingWork
from plans.models import TaskStatus
from plans.services import tasks_of_person


def standing_work(person, unit, on: date) -> list[StandingWork]:
    if unit is None:
        return []
    counts = (
        tasks_of_person(person, unit, on=on)
        .order_by()
        .aggregate(
            open=Count("pk", distinct=True),
            late=Count("pk", distinct=True, filter=Q(status=TaskStatus.OVERDUE)),
        )
    )
    return [StandingWork(_("Plan tasks"), counts["open"], counts["late"], reverse("my_tasks"))]
