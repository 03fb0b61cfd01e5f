"""Small text helpers: cleaning lines and cells, splitting lists of departments."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import TypeVar

from core.text import fold, squash_spaces
from ingest.plan_text.patterns import (
    _BOLD,
    _BREAK_TAG,
    _CELL_BULLET,
    _COMMA_BEFORE_DEPARTMENT,
    _DASH_BEFORE_DEPARTMENT,
    _ENTITIES,
    _INLINE_TAG,
    _MD_BULLET,
    _MD_HEADING,
    _TERMINAL,
)


def _afold(text: str) -> str:
    """`fold` one character at a time, so that position i of the result is position i of text."""
    return "".join((fold(char) or " ")[0] for char in text)


def _is_upper(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and all(char.isupper() for char in letters)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _words(text: str) -> int:
    return len(text.split())


def _unbold(match: re.Match[str]) -> str:
    """Drop a "**" marker; where it glued a heading to the next line, restore the line break."""
    text = match.string
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    if before.isupper() and (after.isupper() or after.isdigit()):
        return "\n"  # "KẾ HOẠCH**Cải cách ...", "YÊU CẦU**1. Mục đích"
    if before and not before.isspace() and before not in "([“\"'" and after.isalnum():
        return " "  # "Xã hội:**Tham mưu"
    return ""


def _clean(text: str) -> str:
    """NFC text with Markdown residue removed and every kind of line break made "\\n"."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    if "<" in text or "&" in text:
        text = _BREAK_TAG.sub("\n", _INLINE_TAG.sub("", text))
        for entity, char in _ENTITIES.items():
            text = text.replace(entity, char)
    text = _BOLD.sub(_unbold, text)
    text = _MD_BULLET.sub(r"\1- ", text)
    text = _MD_HEADING.sub("", text)
    return text.replace("*", "")


def _clean_cell(value: object) -> str:
    """A table cell: its lines squashed, empty lines dropped, Markdown residue removed."""
    text = _clean(value if isinstance(value, str) else "" if value is None else str(value))
    lines = (squash_spaces(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _join_continued(above: str, more: str) -> str:
    """Join the two halves of a cell cut by a page break: a new bullet or a closed sentence goes
    on a new line, a sentence cut in the middle ("chấm điểm chỉ" + "số CCHC") goes on with a
    space."""
    if not above:
        return more
    if not more:
        return above
    first_letter = next((char for char in more if char.isalpha()), "")
    if _DANGLING_BULLET.search(above):
        return f"{above} {more}"  # "…; -" + "Báo cáo kết quả": the bullet's item went over
    if _CELL_BULLET.match(more) or above.rstrip().endswith(_TERMINAL):
        return f"{above}\n{more}"
    first_word = more.split(maxsplit=1)[0]
    if first_letter.islower() or more[:1].isdigit() or _ACRONYM.match(first_word):
        return f"{above} {more}"  # "Trung tâm PV" + "HCC": a name cut in the middle
    return f"{above}\n{more}"


_DANGLING_BULLET = re.compile(r"(?:^|\s)[-+•]\s*$")
_ACRONYM = re.compile(r"^[A-ZĐ]{2,}[,.;]?$")


def split_departments(text: str) -> list[str]:
    """Department names of a "Cơ quan phối hợp" cell, each as written.

    Split on lines, ";" and bullets; on "," or " - " only before a capitalised department word;
    and where a line break was lost between two bodies ("Phòng Văn hoá – xã hội Ban biên tập").
    """
    names: list[str] = []
    for line in (text or "").split("\n"):
        for part in line.split(";"):
            for piece in _DASH_BEFORE_DEPARTMENT.split(part):
                for joined in _COMMA_BEFORE_DEPARTMENT.split(piece):
                    for name in _unjoined(joined):
                        name = squash_spaces(_CELL_BULLET.sub("", name.strip())).strip(" ,.;:")
                        if name:
                            names.append(name)
    return names


# A body named right after a lower-case word starts a new name ("… xã hội Ban biên tập"), unless
# the words before make it part of the same name ("công chức Văn phòng", "Thường trực Hội đồng").
_BODY_AFTER_LOWER = re.compile(
    r"(?<=[a-zà-ỹđ])\s+(?=(?:Ban|Phòng|Trung tâm|Văn phòng|Công an|Mặt trận|Đoàn|Hội)\b)"
)
_PART_OF_NAME = re.compile(
    r"\b(?:cong chuc|can bo|lanh dao|truong|pho|chu tich|thanh vien|thuong truc|thuong vu"
    r"|chap hanh|bi thu|uy ban|thuoc|tai|cua|voi|cho|va|cac|nhan dan)\s*$"
)


def _unjoined(name: str) -> list[str]:
    pieces: list[str] = []
    for piece in _BODY_AFTER_LOWER.split(name):
        if pieces and _PART_OF_NAME.search(fold(pieces[-1])):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return pieces


_T = TypeVar("_T")


def _guarded(warnings: list[str], what: str, read: Callable[[], _T], default: _T) -> _T:
    """Run one reading step; a failure costs that part of the draft, never the whole draft."""
    try:
        return read()
    except Exception as error:  # any input must give a draft, never a crash
        warnings.append(f"Không đọc được {what} ({type(error).__name__})")
        return default
