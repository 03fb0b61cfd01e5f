"""Task deadlines as an iCalendar feed (RFC 5545), written by hand, and the feed's signed tokens.

One all-day event per milestone that has a date; milestones without one (continuous work,
triggers not yet set, deadlines to be clarified) have nothing to put in a calendar.

A done milestone keeps its event, marked "✓" in its title and with the day it was done in its
description. The brief asked for STATUS:COMPLETED, but RFC 5545 allows that value on to-dos
only (events take TENTATIVE, CONFIRMED or CANCELLED), so the machine-readable mark is the
extension property X-CCHC-STATUS:COMPLETED instead.

Feed URLs carry a token signed with the site's secret key: "person" or "department" and an id.
A token cannot be revoked one by one; rotating the secret key revokes them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from core.domains import CalendarEvent
from core.text import squash_spaces
from plans.models import Milestone, Task

PRODID = "-//CCHC//Kế hoạch CCHC//VI"
FEED_SALT = "plans.ical"
FEED_KINDS = frozenset({"person", "department"})
LINE_OCTETS = 75
SUMMARY_CONTENT_CHARS = 80


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks escaped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """Split a content line into chunks of at most 75 octets (§3.1), never inside a character.

    Continuation lines start with one space, which counts towards their 75 octets.
    """
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    limit = LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(char)
        size += width
    chunks.append("".join(current))
    return "\r\n ".join(chunks)


def _date_value(day: date) -> str:
    return day.strftime("%Y%m%d")


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


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
    return "\n".join(lines)


def _event(task: Task, milestone: Milestone, stamp: str) -> Iterator[str]:
    start = milestone.start if milestone.start and milestone.start <= milestone.due else None
    yield "BEGIN:VEVENT"
    yield f"UID:milestone-{milestone.pk}@cchc"
    yield f"DTSTAMP:{stamp}"
    yield f"DTSTART;VALUE=DATE:{_date_value(start or milestone.due)}"
    # DTEND of an all-day event is exclusive: the day after the due date.
    yield f"DTEND;VALUE=DATE:{_date_value(milestone.due + timedelta(days=1))}"
    yield f"SUMMARY:{escape_text(summary(task, milestone))}"
    yield f"DESCRIPTION:{escape_text(description(task, milestone))}"
    yield "TRANSP:TRANSPARENT"  # a deadline does not make anyone busy
    if milestone.done_on:
        yield "X-CCHC-STATUS:COMPLETED"
    yield "END:VEVENT"


def _other_event(event: CalendarEvent, stamp: str) -> Iterator[str]:
    yield "BEGIN:VEVENT"
    yield f"UID:{event.uid}@cchc"
    yield f"DTSTAMP:{stamp}"
    yield f"DTSTART;VALUE=DATE:{_date_value(event.day)}"
    yield f"DTEND;VALUE=DATE:{_date_value(event.day + timedelta(days=1))}"
    yield f"SUMMARY:{escape_text(event.summary)}"
    if event.description:
        yield f"DESCRIPTION:{escape_text(event.description)}"
    yield "TRANSP:TRANSPARENT"
    yield "END:VEVENT"


def calendar_for_tasks(
    tasks: Iterable[Task], *, name: str, others: Iterable[CalendarEvent] = ()
) -> bytes:
    """An iCalendar of the tasks' dated milestones, UTF-8 with CRLF line endings.

    Pass tasks with select_related("area", "lead_department") and prefetch_related("milestones")
    so that the feed costs a fixed number of queries.
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
        "X-PUBLISHED-TTL:PT6H",
    ]
    now = timezone.now()
    for task in tasks:
        # The task's last change, so that the feed does not differ between two fetches.
        stamp = _utc_stamp(task.updated_at or now)
        for milestone in task.milestones.all():
            if milestone.due is not None:
                lines.extend(_event(task, milestone, stamp))
    # Stable between fetches: other events carry the start of their day as their stamp.
    for event in others:
        lines.extend(_other_event(event, event.day.strftime("%Y%m%dT000000Z")))
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines).encode("utf-8")


# --- feed tokens -------------------------------------------------------------------------------


def feed_token(kind: str, obj_id: int) -> str:
    """A URL-safe token naming whose calendar a feed URL shows."""
    if kind not in FEED_KINDS:
        raise ValueError(f"unknown feed kind {kind!r}")
    return signing.Signer(salt=FEED_SALT).sign(f"{kind}.{int(obj_id)}")


def read_feed_token(token: str) -> tuple[str, int] | None:
    """(kind, id) of a token made by feed_token; None for anything forged or malformed."""
    try:
        value = signing.Signer(salt=FEED_SALT).unsign(token)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    kind, _sep, number = value.partition(".")
    if kind not in FEED_KINDS or not number.isdigit() or not number.isascii():
        return None
    return kind, int(number)
