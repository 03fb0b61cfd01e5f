"""Duties by department ("Phân công nhiệm vụ")."""

from __future__ import annotations

from collections.abc import Sequence

from core.text import fold, normalize_name, squash_spaces
from ingest.plan_text.body import _split_colon
from ingest.plan_text.lines import _children, _Item
from ingest.plan_text.patterns import _ACTION, _DUTY_HEAD, _DUTY_STOP, _HEADING_KINDS, _PLEASE
from ingest.plan_text.result import DraftDuty
from ingest.plan_text.text import _afold, _words


def _split_department(text: str) -> tuple[str, str]:
    """(department, first duty) of a department item: "Phòng X: Tham mưu ..." -> both parts."""
    text = squash_spaces(text)
    head, colon, tail = _split_colon(text)
    if colon and _words(head) <= 40:
        return head.strip(" .;-"), tail.strip()
    if _words(text) <= 12:
        return text.strip(" .;:-"), ""
    verb = _ACTION.search(_afold(text))
    if verb and verb.start() > 0:
        body = _PLEASE.sub("", text[: verb.start()]).strip(" ,.;-")
        if _words(body) >= 2:
            return body, text
    return "", ""


def _duties(items: Sequence[_Item]) -> list[DraftDuty]:
    duties: list[DraftDuty] = []
    for index, item in enumerate(items):
        if item.kind not in _HEADING_KINDS or not _DUTY_HEAD.search(normalize_name(item.text)):
            continue
        region = _children(items, index)
        department = next((child for child in region if child.kind in _HEADING_KINDS), None)
        if department is None:
            continue
        level = department.level
        current: DraftDuty | None = None
        for child in region:
            if child.kind in _HEADING_KINDS and child.level == level:
                name, first = _split_department(child.text)
                current = DraftDuty(name, [first] if first else []) if name else None
                if current is not None:
                    duties.append(current)
                continue
            if current is None:
                continue
            if child.kind == "plus" and current.duties:
                current.duties[-1] = f"{current.duties[-1]}\n+ {child.text}"
            elif child.kind in ("bullet", "plus") or child.kind in _HEADING_KINDS:
                if child.text:
                    current.duties.append(child.text)
            elif _DUTY_STOP.match(fold(child.text)) or current.duties:
                break  # a closing paragraph ("Trong quá trình tổ chức thực hiện ...")
            else:
                current.duties.append(child.text)  # a department with one paragraph, no bullets
    return duties
