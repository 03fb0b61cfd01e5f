"""Dated events of the plan (meetings, reports due)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from core.text import fold, squash_spaces
from ingest.deadlines import MilestoneKind, parse_deadline
from ingest.plan_text.lines import _Item
from ingest.plan_text.patterns import (
    _DATE_START,
    _FOR,
    _LABEL_BOUNDARY,
    _LABELLED,
    _MONTH_OR_QUARTER,
    _SEND_BEFORE,
    _WHEN_END,
)
from ingest.plan_text.result import DatedEvent
from ingest.plan_text.text import _afold, _capitalise, _words


def _events_of(
    label: str, text: str, when: str, period_start: date | None, period_end: date | None
) -> list[DatedEvent]:
    parsed = parse_deadline(when, period_start=period_start, period_end=period_end)
    events: list[DatedEvent] = []
    for milestone in parsed.milestones:
        if milestone.due is None:
            continue
        if milestone.kind is MilestoneKind.RANGE:
            events.append(DatedEvent(label, milestone.start, milestone.due, text))
        elif milestone.kind is MilestoneKind.RECURRING:
            events.append(DatedEvent(f"{label} ({milestone.period})", None, milestone.due, text))
        elif milestone.kind is MilestoneKind.DUE:
            start = None
            unit = _MONTH_OR_QUARTER.match(fold(milestone.label))
            if unit:  # "Tháng 6/2026" is the whole month, "Quý III/2026" the whole quarter
                first_month = milestone.due.month - (2 if unit["unit"] == "quy" else 0)
                start = date(milestone.due.year, max(first_month, 1), 1)
            events.append(DatedEvent(label, start, milestone.due, text))
    return events


def _labelled_events(
    item: _Item, period_start: date | None, period_end: date | None
) -> list[DatedEvent]:
    """ "Đợt 1: Dự kiến từ ngày 01/7/2026-10/7/2026", "Kiểm tra 6 tháng: Tháng 6/2026"."""
    labelled = _LABELLED.match(item.text)
    if not labelled:
        return []
    label, rest = squash_spaces(labelled["label"]), labelled["rest"].strip()
    if _words(label) > 20 or _words(rest) > 12 or not _DATE_START.match(fold(rest)):
        return []
    return _events_of(label, item.text.strip(" .;"), rest, period_start, period_end)


def _sending_events(
    item: _Item, period_start: date | None, period_end: date | None
) -> list[DatedEvent]:
    """ "đối với kỳ báo cáo năm gửi trước ngày 01/12/2026": what is sent, and by when."""
    text = item.text
    folded = _afold(text)
    events: list[DatedEvent] = []
    floor = 0
    for sending in _SEND_BEFORE.finditer(folded):
        if sending.start() < floor:
            continue
        ending = _WHEN_END.search(folded, sending.end())
        when_end = ending.start() if ending else len(text)
        boundaries = list(_LABEL_BOUNDARY.finditer(folded, floor, sending.start()))
        label_start = boundaries[-1].end() if boundaries else floor
        segment = text[label_start : sending.start()]
        phrase = _FOR.search(_afold(segment))
        label = segment[phrase.end() :] if phrase else segment
        if _words(label) > 12:
            label = label.rpartition(",")[2]
        label = _capitalise(squash_spaces(label).strip(" ,;:-"))
        if label.lower().startswith("và "):
            label = _capitalise(label[3:])
        sentence = squash_spaces(text[label_start:when_end]).strip(" ,;:-")
        when = "trước " + text[sending.end() : when_end]
        events.extend(_events_of(label or "Hạn gửi", sentence, when, period_start, period_end))
        floor = when_end
    return events


def _events(
    items: Sequence[_Item], period_start: date | None, period_end: date | None
) -> list[DatedEvent]:
    events: list[DatedEvent] = []
    for item in items:
        found = _labelled_events(item, period_start, period_end)
        found += _sending_events(item, period_start, period_end)
        for event in found:
            if event not in events:
                events.append(event)
    return events
