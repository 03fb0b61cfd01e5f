"""Task deadlines as an iCalendar feed (RFC 5545), built with the icalendar library, and the
feed's signed tokens.

One all-day event per milestone that has a date; milestones without one (continuous work,
triggers not yet set, deadlines to be clarified) have nothing to put in a calendar.

A done milestone keeps its event, marked "✓" in its title and with the day it was done in its
description. The brief asked for STATUS:COMPLETED, but RFC 5545 allows that value on to-dos
only (events take TENTATIVE, CONFIRMED or CANCELLED), so the machine-readable mark is the
extension property X-CCHC-STATUS:COMPLETED instead.

Feed URLs carry a token signed with the site's secret key: "person" or "department", an id
and the link's version (`CalendarFeed.generation`; version 0, the first link, is written without
it). Revoking one feed's link (`revoke_feed`) moves its version on: the old URL gives 404, every
other feed keeps working. Rotating the secret key revokes them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from django.core import signing
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration, vText

from core.domains import CalendarEvent
from core.text import squash_spaces
from plans.models import CalendarFeed, Milestone, Task

PRODID = "-//CCHC//Kế hoạch CCHC//VI"
FEED_SALT = "plans.ical"
FEED_KINDS = frozenset({"person", "department"})
SUMMARY_CONTENT_CHARS = 80
REFRESH = timedelta(hours=6)


def summary(task: Task, milestone: Milestone) -> str:
    """ "<area code>.<number> <content>", plus the milestone's words when the cell has several."""
    code = f"{task.area.code}.{task.number}" if task.number else task.area.code
    content = squash_spaces(task.content)
    if len(content) > SUMMARY_CONTENT_CHARS:
        content = content[:SUMMARY_CONTENT_CHARS].rstrip() + "…"
    text = f"{code} {content}"
    label = squash_spaces(milestone.label)
    if label and label != squash_spaces(task.deadline_text):
        text += f" – {label}"
    if milestone.done_on:
        text = f"✓ {text}"
    return text


def description(task: Task, milestone: Milestone) -> str:
    lines = [
        _("Lead department: %(name)s") % {"name": task.lead_department.name},
        _("Deadline: %(text)s") % {"text": task.deadline_text},
    ]
    if milestone.done_on:
        lines.append(_("Done on %(day)s") % {"day": milestone.done_on.strftime("%d/%m/%Y")})
        if milestone.done_period:
            lines.append(_("Period covered: %(period)s") % {"period": milestone.done_period})
    return "\n".join(lines)


def _all_day(uid: str, stamp: datetime, first: date, last: date, title: str) -> Event:
    """An all-day event from `first` to `last` that makes nobody busy."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", first)
    # DTEND of an all-day event is exclusive: the day after the last day.
    event.add("dtend", last + timedelta(days=1))
    event.add("summary", title)
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    return event


def _event(task: Task, milestone: Milestone, stamp: datetime) -> Event:
    start = milestone.start if milestone.start and milestone.start <= milestone.due else None
    event = _all_day(
        f"milestone-{milestone.pk}@cchc",
        stamp,
        start or milestone.due,
        milestone.due,
        summary(task, milestone),
    )
    event.add("description", description(task, milestone))
    if milestone.done_on:
        event.add("x-cchc-status", "COMPLETED")
    return event


def _other_event(event: CalendarEvent) -> Event:
    # Stable between fetches: other events carry the start of their day as their stamp.
    stamp = datetime(event.day.year, event.day.month, event.day.day, tzinfo=UTC)
    built = _all_day(f"{event.uid}@cchc", stamp, event.day, event.day, event.summary)
    if event.description:
        built.add("description", event.description)
    return built


def calendar_for_tasks(
    tasks: Iterable[Task], *, name: str, others: Iterable[CalendarEvent] = ()
) -> bytes:
    """An iCalendar of the tasks' dated milestones, UTF-8 with CRLF line endings, lines folded
    at 75 octets.

    Pass tasks with select_related("area", "lead_department") and prefetch_related("milestones")
    so that the feed costs a fixed number of queries.
    """
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", vText(name))  # an X- property would otherwise go unescaped
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    now = timezone.now()
    for task in tasks:
        # The task's last change, so that the feed does not differ between two fetches.
        stamp = (task.updated_at or now).astimezone(UTC)
        for milestone in task.milestones.all():
            if milestone.due is not None:
                calendar.add_component(_event(task, milestone, stamp))
    for event in others:
        calendar.add_component(_other_event(event))
    return calendar.to_ical()


# --- feed tokens -------------------------------------------------------------------------------


class FeedLink(NamedTuple):
    kind: str
    obj_id: int
    generation: int = 0


def feed_token(kind: str, obj_id: int, generation: int = 0) -> str:
    """A URL-safe token naming whose calendar a feed URL shows, and which version of its link."""
    if kind not in FEED_KINDS:
        raise ValueError(f"unknown feed kind {kind!r}")
    value = f"{kind}.{int(obj_id)}"
    if generation:
        value += f".{int(generation)}"
    return signing.Signer(salt=FEED_SALT).sign(value)


def read_feed_token(token: str) -> FeedLink | None:
    """The feed and link version of a token made by feed_token; None for anything forged or
    malformed. Whether that version still works is `is_current`."""
    try:
        value = signing.Signer(salt=FEED_SALT).unsign(token)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    kind, *numbers = value.split(".")
    if kind not in FEED_KINDS or len(numbers) not in (1, 2):
        return None
    if not all(n.isdigit() and n.isascii() for n in numbers):
        return None
    generation = int(numbers[1]) if len(numbers) == 2 else 0
    if len(numbers) == 2 and generation == 0:
        return None  # version 0 is always written without its number
    return FeedLink(kind, int(numbers[0]), generation)


def _generation(kind: str, obj_id: int) -> int:
    found = CalendarFeed.objects.filter(kind=kind, owner_id=obj_id).values_list(
        "generation", flat=True
    )
    return next(iter(found), 0)


def current_token(kind: str, obj_id: int) -> str:
    """The token of the feed's link in force."""
    return feed_token(kind, obj_id, _generation(kind, obj_id))


def is_current(link: FeedLink) -> bool:
    return link.generation == _generation(link.kind, link.obj_id)


@transaction.atomic
def revoke_feed(kind: str, obj_id: int, *, by=None) -> str:
    """Stop the feed's current link from working and give it a new one (its token). Whether
    `by` may do so is asked of org.access by the view."""
    if kind not in FEED_KINDS:
        raise ValueError(f"unknown feed kind {kind!r}")
    feed, _created = CalendarFeed.objects.select_for_update().get_or_create(
        kind=kind, owner_id=obj_id
    )
    CalendarFeed.objects.filter(pk=feed.pk).update(
        generation=F("generation") + 1, revoked_at=timezone.now(), revoked_by=by
    )
    feed.refresh_from_db()
    return feed_token(kind, obj_id, feed.generation)
