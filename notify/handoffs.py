"""Work that changes hands: one to-do per person who must act, announced in the bell at once,
cleared when the act is done. Every domain app hands work over through these two functions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet

from core import clock
from core.domains import Handoff
from notify.models import Notification, ToDo

# The bell notice of a hand-off: its key is the work's key behind this prefix.
HANDOFF_PREFIX = "handoff:"


def hand_off(handoff: Handoff) -> list[int]:
    """Give the work to its people; returns who was told now. A person who already has this
    work open is not told again (a retry or a second worker changes nothing); one who had it
    done is given it again (a part returned for changes)."""
    told = []
    fields = {
        "kind": handoff.kind,
        "title": handoff.title[:300],
        "url": handoff.url[:300],
        "due": handoff.due,
        "remind": handoff.remind,
        "escalate_to": sorted(handoff.escalate_to),
    }
    for user_id in sorted(set(handoff.people) - {None}):
        if _give(user_id, handoff.key[:150], fields):
            Notification.objects.create(
                user_id=user_id,
                kind=handoff.kind,
                key=f"{HANDOFF_PREFIX}{handoff.key}"[:100],
                title=fields["title"],
                url=fields["url"],
                due=handoff.due,
            )
            told.append(user_id)
    return told


def _give(user_id: int, key: str, fields: dict) -> bool:
    """True when the work is new or open again for this person."""
    now = clock.now()
    try:
        with transaction.atomic():
            ToDo.objects.create(user_id=user_id, key=key, handed_at=now, **fields)
            return True
    except IntegrityError:
        pass  # the person has (or had) this work
    reopened = ToDo.objects.filter(user_id=user_id, key=key, done_at__isnull=False).update(
        done_at=None, handed_at=now, **fields
    )
    if not reopened:
        # Still open: keep what it says current (a due date moved), without a second notice.
        ToDo.objects.filter(user_id=user_id, key=key).update(**fields)
    return bool(reopened)


def done(*keys: str, people: Iterable[int] | None = None) -> int:
    """The work named by `keys` is done: cleared from everyone's list (or only these people's).
    Its bell notices are marked read."""
    todos = ToDo.objects.filter(key__in=[k[:150] for k in keys], done_at__isnull=True)
    notices = Notification.objects.filter(
        key__in=[f"{HANDOFF_PREFIX}{k}"[:100] for k in keys], read_at__isnull=True
    )
    if people is not None:
        people = list(people)
        todos, notices = todos.filter(user_id__in=people), notices.filter(user_id__in=people)
    now = clock.now()
    notices.update(read_at=now)
    return todos.update(done_at=now)


def open_work(user) -> QuerySet[ToDo]:
    """What the person must do now, the most pressing first (no due date last)."""
    return ToDo.objects.filter(user=user, done_at__isnull=True).order_by(
        F("due").asc(nulls_last=True), "-handed_at"
    )


def recently_done(user, days: int = 14) -> QuerySet[ToDo]:
    since = clock.now() - timedelta(days=days)
    return ToDo.objects.filter(user=user, done_at__gte=since).order_by("-done_at")[:30]
