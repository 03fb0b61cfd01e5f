"""What the province's oversight board needs to know of each commune's answers to the province's
requests due in a year: how many were asked, answered on time, answered late, still owed past
the due date, or not yet due. One query whatever the number of communes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q
from django.utils import timezone

from province_requests.models import (
    OPEN_STATUSES,
    ProvinceRequest,
    Recipient,
    RecipientStatus,
)


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


@dataclass(frozen=True)
class LateAnswer:
    name: str  # "Phường Thành Đông"
    answered_on: date


@dataclass(frozen=True)
class RequestSummary:
    """One request of the province as its consolidated report tells it."""

    title: str
    letter_number: str
    letter_date: date | None
    due: date
    asked: int
    on_time: int
    late: list[LateAnswer]
    missing: list[str]  # communes owing an answer after the due date


def request_summaries(
    province_id: int, start: date, end: date, *, on: date
) -> list[RequestSummary]:
    """The province's requests due between `start` and `end` and by `on` (not withdrawn), each
    with who answered on time, late (and when) or not at all; communes that left the province
    left out. Two queries."""
    requests = list(
        ProvinceRequest.objects.filter(
            unit_id=province_id, cancelled_at__isnull=True, due__gte=start, due__lte=min(end, on)
        ).order_by("due", "pk")
    )
    copies: dict[int, list[Recipient]] = {r.pk: [] for r in requests}
    for copy in (
        Recipient.objects.filter(request__in=requests, unit__province_id=province_id)
        .select_related("unit")
        .order_by("unit__name")
    ):
        copies[copy.request_id].append(copy)
    summaries = []
    for request in requests:
        mine = copies[request.pk]
        summaries.append(
            RequestSummary(
                title=request.title,
                letter_number=request.letter_number,
                letter_date=request.letter_date,
                due=request.due,
                asked=len(mine),
                on_time=sum(
                    1 for c in mine if c.status == RecipientStatus.ANSWERED and not c.answered_late
                ),
                late=[
                    LateAnswer(c.unit.full_name, timezone.localtime(c.answered_at).date())
                    for c in mine
                    if c.status == RecipientStatus.ANSWERED and c.answered_late
                ],
                missing=[c.unit.full_name for c in mine if c.is_open and request.due < on],
            )
        )
    return summaries
