"""What the province's oversight board needs to know of each commune's answers to the province's
requests due in a year: how many were asked, answered on time, answered late, still owed past
the due date, or not yet due. One query whatever the number of communes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q

from province_requests.models import OPEN_STATUSES, Recipient, RecipientStatus


@dataclass(frozen=True)
class RequestFacts:
    asked: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0  # owed after the due date (returned answers included)
    waiting: int = 0

    @property
    def answered(self) -> int:
        return self.on_time + self.late


def request_facts(unit_ids: Sequence[int], year: int, *, on: date) -> dict[int, RequestFacts]:
    """Each unit's answers to the requests of its province due in `year`, by unit id; units that
    were asked nothing are left out."""
    answered = Q(status=RecipientStatus.ANSWERED)
    late = answered & Q(answered_at__date__gt=F("due_when_answered"))
    owed = Q(status__in=OPEN_STATUSES)
    rows = (
        Recipient.objects.filter(
            unit_id__in=unit_ids,
            request__due__year=year,
            request__cancelled_at__isnull=True,
            unit__province_id=F("request__unit_id"),
        )
        .values("unit_id")
        .annotate(
            asked=Count("id"),
            answered=Count("id", filter=answered),
            late=Count("id", filter=late),
            missing=Count("id", filter=owed & Q(request__due__lt=on)),
            waiting=Count("id", filter=owed & Q(request__due__gte=on)),
        )
        .order_by()
    )
    return {
        row["unit_id"]: RequestFacts(
            asked=row["asked"],
            on_time=row["answered"] - row["late"],
            late=row["late"],
            missing=row["missing"],
            waiting=row["waiting"],
        )
        for row in rows
    }
