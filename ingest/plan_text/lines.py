"""The body of a plan as numbered items and the sections they open."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.text import normalize_name, squash_spaces
from ingest.plan_text.patterns import (
    _BULLET,
    _HEADING_KINDS,
    _NUMBERINGS,
    _PLUS,
    _TARGET_HEAD,
    _TASK_HEAD,
    _TERMINAL,
)
from ingest.plan_text.text import _is_upper


@dataclass
class _Item:
    """One paragraph of the body: a heading, a bullet or a text line, with wrapped lines joined."""

    line: int
    last_line: int
    kind: str  # roman | dotted | number | letter | bullet | plus | text
    marker: str  # "II", "1.1", "2", "a", ""
    text: str
    upper: bool

    @property
    def level(self) -> int:
        if self.kind == "roman":
            return 0
        if self.kind == "number":
            return 1
        if self.kind == "dotted":
            return 1 + self.marker.count(".")
        if self.kind == "letter":
            return 5
        return 9


def _classify(line: str) -> tuple[str, str, str]:
    stripped = line.strip()
    plus = _PLUS.match(stripped)
    if plus:
        return "plus", "", plus["t"].strip()
    bullet = _BULLET.match(stripped)
    body = bullet["t"].strip() if bullet else stripped
    for kind, pattern in _NUMBERINGS:
        numbered = pattern.match(body)
        if numbered:
            return kind, numbered["m"], (numbered["t"] or "").strip()
    if bullet:
        return "bullet", "", body
    return "text", "", stripped


def _continues(previous: _Item, line: str, index: int, hard_breaks: bool = False) -> bool:
    """Whether a text line goes on with the paragraph above (wrapped by Word or the PDF).

    With hard_breaks (a document read as blocks: every line is a paragraph of its own, wrapped
    lines already joined), a line right under another is no reason to join them."""
    if previous.upper or _is_upper(line) or line.startswith("("):
        return False
    if previous.text.rstrip().endswith(_TERMINAL):
        return False
    first_letter = next((char for char in line if char.isalpha()), "")
    if first_letter.islower() or (line[:1].isdigit() and previous.text.endswith("-")):
        return True
    adjacent = not hard_breaks and index == previous.last_line + 1
    return adjacent and previous.kind in ("text", "bullet", "plus")


def _items(lines: Sequence[str], hard_breaks: bool = False) -> list[_Item]:
    items: list[_Item] = []
    for index, raw in enumerate(lines):
        stripped = squash_spaces(raw)
        if not stripped:
            continue
        kind, marker, text = _classify(stripped)
        if kind == "text" and items and _continues(items[-1], stripped, index, hard_breaks):
            previous = items[-1]
            glue = "" if previous.text.endswith("-") and stripped[:1].isdigit() else " "
            previous.text = f"{previous.text}{glue}{stripped}"
            previous.last_line = index
            continue
        items.append(_Item(index, index, kind, marker, text, _is_upper(text or stripped)))
    return items


def _children(items: Sequence[_Item], at: int) -> list[_Item]:
    """The items under the heading at `at`, up to the next heading of its level or higher."""
    level = items[at].level
    out: list[_Item] = []
    for item in items[at + 1 :]:
        if item.kind in _HEADING_KINDS and item.level <= level:
            break
        out.append(item)
    return out


def _section_role(title: str) -> str:
    words = normalize_name(title)
    if "phan cong" in words:
        return "duties"
    if "to chuc thuc hien" in words or "muc dich" in words or "kinh phi" in words:
        return "other"
    if any(k in words for k in ("nhiem vu", "giai phap", "noi dung", "chi tieu")):
        return "areas"
    return "other"


@dataclass
class _Section:
    role: str  # preamble | areas | duties | other
    items: list[_Item]


def _sections(items: Sequence[_Item]) -> list[_Section]:
    sections = [_Section("preamble", [])]
    for item in items:
        if item.kind == "roman":
            sections.append(_Section(_section_role(item.text), [item]))
        else:
            sections[-1].items.append(item)
    return sections


def _is_target_head(text: str) -> bool:
    words = normalize_name(text)
    return bool(_TARGET_HEAD.match(words)) and "nhiem vu" not in words


def _is_task_head(text: str) -> bool:
    words = normalize_name(text)
    return bool(_TASK_HEAD.match(words)) and "chi tieu" not in words
