from __future__ import annotations

from functools import cached_property

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from notify.models import Notification, ToDo


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("user").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class BellCounts:
    """The bell's unread reminders and the open work of "My work", read together in one query
    the first time a page shows either (a fragment that shows neither costs none)."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def _values(self) -> tuple[int, int]:
        row = (
            get_user_model()
            .objects.filter(pk=self.user.pk)
            .values_list(
                _count(Notification.objects.filter(user=self.user, read_at__isnull=True)),
                _count(ToDo.objects.filter(user=self.user, done_at__isnull=True)),
            )
            .first()
        )
        return row or (0, 0)

    def unread(self) -> int:
        return self._values[0]

    def open_work(self) -> int:
        return self._values[1]


def unread_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counts = BellCounts(user)
    # Templates call a callable they are given, so nothing is read until a page shows a count.
    return {"unread_count": counts.unread, "open_work_count": counts.open_work}
