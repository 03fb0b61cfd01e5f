"""The body of a plan: reform areas, targets and tasks written as prose."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from core.text import squash_spaces
from ingest.deadlines import parse_deadline
from ingest.plan_text.lines import _children, _is_target_head, _is_task_head, _Item, _Section
from ingest.plan_text.patterns import _COLON, _HEADING_KINDS
from ingest.plan_text.result import DraftTarget, DraftTask
from ingest.plan_text.text import _words
from ingest.targets import parse_target


@dataclass
class _Entry:
    """A task or target read from prose, still growing while "+" sub-bullets follow."""

    kind: str  # "task" | "target"
    area_code: str | None
    number: str
    text: str
    group: str = ""
    takes_bullets: bool = False  # a lettered task ending with ":" gathers the bullets below


def _split_colon(text: str) -> tuple[str, str, str]:
    """partition(": ") that leaves "ISO 9001:2015" whole."""
    parts = _COLON.split(text, maxsplit=1)
    return (parts[0], ":", parts[1]) if len(parts) == 2 else (text, "", "")


def _area_name(text: str) -> str:
    head, colon, _ = _split_colon(text)
    name = head if colon and _words(head) <= 12 else text
    return squash_spaces(name).strip(" :.;")


def _read_areas(
    items: Sequence[_Item],
) -> tuple[list[tuple[str, str]], list[_Entry]]:
    """Areas (code, name) and the targets and tasks written under them in one tasks section."""
    heads = [
        item
        for item in items
        if item.kind in ("dotted", "number", "letter")
        and not _is_target_head(item.text)
        and not _is_task_head(item.text)
    ]
    dotted = [item.level for item in heads if item.kind == "dotted"]
    if dotted:
        area_kind, area_level = "dotted", min(dotted)
    elif any(item.kind == "number" for item in heads):
        area_kind, area_level = "number", 1
    elif heads:
        area_kind, area_level = "letter", 5
    else:
        return [], []

    areas: list[tuple[str, str]] = []
    entries: list[_Entry] = []
    area: str | None = None
    mode, group = "task", ""
    last: _Entry | None = None
    for index, item in enumerate(items):
        if item.kind == area_kind and item.level == area_level and item in heads:
            area = item.marker
            areas.append((area, _area_name(item.text)))
            mode, group, last = "task", "", None
            continue
        if item.kind in _HEADING_KINDS and item.level <= area_level:
            area, last = None, None  # a parent heading ("1. Kiểm tra định kỳ"), not an area
            continue
        if area is None:
            continue
        if item.kind in _HEADING_KINDS:
            if _is_target_head(item.text):
                mode, group, last = "target", "", None
            elif _is_task_head(item.text):
                mode, group, last = "task", "", None
            elif _is_group_heading(item, items[index + 1 : index + 2]):
                mode, group, last = "task", _area_name(item.text), None
            else:
                last = _Entry(mode, area, item.marker, item.text, group)
                last.takes_bullets = item.text.rstrip().endswith(":")
                entries.append(last)
            continue
        if item.kind == "plus" and last is not None:
            last.text = f"{last.text}\n+ {item.text}"
            continue
        if item.kind == "bullet" and last is not None and last.takes_bullets:
            last.text = f"{last.text}\n- {item.text}"
            continue
        if item.kind == "text" and item.text.startswith("("):
            continue  # "(Danh mục nhiệm vụ cụ thể tại Phụ lục ...)" is a note
        if item.text:
            last = _Entry(mode, area, "", item.text, group)
            entries.append(last)
    return areas, entries


def _is_group_heading(item: _Item, following: Sequence[_Item]) -> bool:
    """A short lettered heading over bullets ("a. Đổi mới sáng tạo"), not a task of its own."""
    text = item.text.strip()
    return (
        _words(text) <= 12
        and not text.endswith((".", ";"))
        and ";" not in text
        and bool(following)
        and following[0].kind in ("bullet", "plus", "text")
    )


def _loose_targets(sections: Sequence[_Section]) -> list[_Entry]:
    """Targets listed under a "Một số chỉ tiêu chủ yếu" heading outside the tasks section."""
    entries: list[_Entry] = []
    for section in sections:
        if section.role == "areas":
            continue
        items = section.items
        for index, item in enumerate(items):
            if item.kind not in ("number", "dotted", "letter") or not _is_target_head(item.text):
                continue
            last: _Entry | None = None
            for child in _children(items, index):
                if child.kind == "plus" and last is not None:
                    last.text = f"{last.text}\n+ {child.text}"
                elif child.kind in ("letter", "bullet", "text") and child.text:
                    if child.kind == "text" and child.text.startswith("("):
                        continue
                    last = _Entry("target", None, child.marker, child.text)
                    entries.append(last)
    return entries


def _target_of(entry: _Entry) -> DraftTarget:
    return DraftTarget(entry.area_code, entry.number, entry.text, parse_target(entry.text))


def _task_of(entry: _Entry, period_start: date | None, period_end: date | None) -> DraftTask:
    return DraftTask(
        area_code=entry.area_code,
        number=entry.number,
        content=entry.text,
        lead="",
        coordinators=[],
        deadline_text="",
        deadline=parse_deadline("", period_start=period_start, period_end=period_end),
        product="",
        source="prose",
        group=entry.group,
    )
