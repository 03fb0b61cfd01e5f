"""The one clock of the rules. Tests freeze it here, and only here.

`as_of(day)` replays work on an earlier day (the demo builds a year's history with it): every
rule that asks the clock sees that day, so what is recorded (sent on, late or on time) is what
would have been recorded then.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time

from django.utils import timezone

_as_of: ContextVar[date | None] = ContextVar("clock_as_of", default=None)


def today() -> date:
    """Today in the system's time zone (Asia/Ho_Chi_Minh)."""
    return _as_of.get() or timezone.localdate()


def now() -> datetime:
    day = _as_of.get()
    if day is None:
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


@contextmanager
def as_of(day: date) -> Iterator[date]:
    token = _as_of.set(day)
    try:
        yield day
    finally:
        _as_of.reset(token)
