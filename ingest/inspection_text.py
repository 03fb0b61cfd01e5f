"""Read an inspection plan (kế hoạch kiểm tra CCHC, like seed 003) into its structure.

The generic plan parser (`ingest.plan_text`) already finds the document facts, the reform areas
of section III ("1.1. Công tác chỉ đạo, điều hành" …) and the items checked under each (one
bullet each, "+" sub-items kept inside their bullet) and every dated phrase. This module adds what
only an inspection plan says:

- the rounds: "Đợt 1: Dự kiến từ ngày 01/7/2026-10/7/2026", named after the matching line of
  section II ("Kiểm tra 6 tháng: Tháng 6/2026") when the counts agree;
- the ad-hoc inspection contents ("Về kiểm tra đột xuất: … - Kiểm tra việc thực hiện kỷ luật …");
- the team: the department that leads ("Giao Phòng Văn hoá - xã hội … chủ trì phối hợp với
  Văn phòng HĐND và UBND thành lập đoàn kiểm tra");
- how many days before the round the inspected departments report ("trước 5 ngày theo lịch").

Pure functions, no Django models; never raises on odd text (what is not found stays empty).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from core.text import fold, squash_spaces
from ingest.deadlines import parse_deadline
from ingest.plan_text import (
    DatedEvent,
    DocumentFacts,
    PlanDraft,
    parse_plan_blocks,
    parse_plan_text,
    split_departments,
)

DEFAULT_SELF_CHECK_DAYS = 5


@dataclass
class ChecklistArea:
    code: str  # "1.1"
    name: str  # "Công tác chỉ đạo, điều hành"
    items: list[str] = field(default_factory=list)  # what is checked, one entry per bullet
    groups: list[str] = field(default_factory=list)  # per item: its sub-heading ("a. …") or ""


@dataclass
class DraftRound:
    number: int  # 1, 2 … in the order written
    name: str  # "Đợt 1 – Kiểm tra 6 tháng"
    start: date | None
    end: date | None
    text: str  # as written


@dataclass
class InspectionPlanDraft:
    facts: DocumentFacts
    areas: list[ChecklistArea] = field(default_factory=list)
    rounds: list[DraftRound] = field(default_factory=list)
    adhoc_contents: list[str] = field(default_factory=list)
    team_lead: str = ""  # department leading the team, as written
    team_partners: list[str] = field(default_factory=list)  # departments it works with
    self_check_days: int = DEFAULT_SELF_CHECK_DAYS
    self_check_days_found: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        if self.facts.period_start:
            return self.facts.period_start.year
        return self.facts.issued_year

    @property
    def item_count(self) -> int:
        return sum(len(a.items) for a in self.areas)


_ROUND = re.compile(r"^dot\s+(\d+)\b")
_DAYS_BEFORE = re.compile(
    r"truoc\s+(\d{1,2})\s+ngay(?:\s+(?:theo|so\s+voi|truoc))?"
    r"|(\d{1,2})\s+ngay\s+truoc(?:\s+(?:khi|ngay))?"
)
_ADHOC_HEADING = re.compile(r"^\s*\d+\.\s*(?:ve\s+)?kiem\s+tra\s+dot\s+xuat")
_SECTION = re.compile(r"^\s*(?:[IVX]+\.|\d+\.(?!\d))\s*\S")
_BULLET = re.compile(r"^\s*[-–•*+]\s*")
_TEAM = re.compile(
    r"giao\s+(?P<lead>.+?)\s+(?:\(.*?\)\s*)?chu\s+tri(?:\s*,)?\s+phoi\s+hop\s+voi\s+(?P<with>.+?)"
    r"\s+(?:thanh\s+lap|to\s+chuc|,)",
)


def parse_inspection_text(text: str) -> InspectionPlanDraft:
    """An inspection plan from its plain text."""
    return _complete(parse_plan_text(text or ""), _lines(text or ""))


def parse_inspection_blocks(blocks: Sequence[object]) -> InspectionPlanDraft:
    """An inspection plan from a read .docx/.pdf/.xlsx (ingest.documents.ReadDocument.blocks)."""
    lines: list[str] = []
    for block in blocks:
        text = getattr(block, "text", None)
        if text is not None:
            lines.extend(text.split("\n"))
        else:
            for row in getattr(block, "rows", ()):
                lines.append(" ".join(cell for cell in row if cell))
    return _complete(parse_plan_blocks(list(blocks)), [squash_spaces(x) for x in lines if x])


def _lines(text: str) -> list[str]:
    return [squash_spaces(line) for line in text.replace("\r", "\n").split("\n") if line.strip()]


def _complete(plan: PlanDraft, lines: list[str]) -> InspectionPlanDraft:
    draft = InspectionPlanDraft(facts=plan.facts, warnings=list(plan.warnings))
    by_code: dict[str, ChecklistArea] = {}
    for area in plan.areas:
        by_code[area.code] = ChecklistArea(code=area.code, name=area.name)
    for task in plan.tasks:
        area = by_code.get(task.area_code or "")
        if area is None or not task.content.strip():
            continue
        area.items.append(task.content.strip())
        area.groups.append(task.group)
    draft.areas = [a for a in by_code.values() if a.items or a.name]
    draft.rounds = _rounds(plan.events)
    if not any(_ROUND.match(fold(r.text)) for r in draft.rounds):
        written = _round_lines(lines, plan.facts)
        if written:
            draft.rounds = written
    draft.adhoc_contents = _adhoc(lines)
    draft.team_lead, draft.team_partners = _team(lines)
    days = _self_check_days(lines)
    if days is not None:
        draft.self_check_days, draft.self_check_days_found = days, True
    if not draft.rounds:
        draft.warnings.append("No inspection round with dates was found.")
    return draft


def _rounds(events: Sequence[DatedEvent]) -> list[DraftRound]:
    numbered: list[tuple[int, DatedEvent]] = []
    others: list[DatedEvent] = []
    for event in events:
        match = _ROUND.match(fold(event.label).strip())
        if match:
            numbered.append((int(match.group(1)), event))
        elif event.start or event.end:
            others.append(event)
    if not numbered:
        # A plan that only says "Kiểm tra 6 tháng: Tháng 6/2026": those are its rounds.
        return [
            DraftRound(i, e.label, e.start, e.end, e.text) for i, e in enumerate(others, start=1)
        ]
    numbered.sort(key=lambda pair: pair[0])
    named = len(others) == len(numbered)
    rounds = []
    for index, (number, event) in enumerate(numbered):
        name = event.label
        if named:
            name = f"{event.label} – {others[index].label}"
        rounds.append(DraftRound(number, name, event.start, event.end, event.text))
    return rounds


def _round_lines(lines: list[str], facts: DocumentFacts) -> list[DraftRound]:
    """Lines "Đợt 2: từ ngày 20/10 đến 25/10/2026" the generic parser did not date."""
    rounds = []
    for line in lines:
        text = _BULLET.sub("", line).strip()
        match = _ROUND.match(fold(text))
        if not match or ":" not in text:
            continue
        parsed = parse_deadline(
            text.split(":", 1)[1], period_start=facts.period_start, period_end=facts.period_end
        )
        dated = [m for m in parsed.milestones if m.due]
        if not dated:
            continue
        start = min((m.start or m.due) for m in dated)
        end = max(m.due for m in dated if m.due)
        rounds.append(DraftRound(int(match.group(1)), text.split(":", 1)[0], start, end, text))
    return rounds


def _adhoc(lines: list[str]) -> list[str]:
    contents: list[str] = []
    inside = False
    for line in lines:
        folded = fold(line)
        if _ADHOC_HEADING.match(folded) and not inside:
            inside = True
            continue
        if not inside:
            continue
        if _SECTION.match(line) and not _BULLET.match(line):
            break
        if _BULLET.match(line):
            contents.append(_BULLET.sub("", line).strip())
    return contents


def _team(lines: list[str]) -> tuple[str, list[str]]:
    for line in lines:
        folded = fold(line)
        if "doan kiem tra" not in folded or "chu tri" not in folded:
            continue
        match = _TEAM.search(folded)
        if not match:
            continue
        # Cut the same spans out of the written line (folding keeps character positions).
        lead = _strip_parentheses(line[match.start("lead") : match.end("lead")])
        partners = line[match.start("with") : match.end("with")]
        return lead, [p for p in split_departments(partners) if p]
    return "", []


def _strip_parentheses(text: str) -> str:
    return squash_spaces(re.sub(r"\(.*?\)", "", text)).strip(" ,;:")


def _self_check_days(lines: list[str]) -> int | None:
    for line in lines:
        folded = fold(line)
        if "bao cao" not in folded and "tu kiem tra" not in folded:
            continue
        if "kiem tra" not in folded:
            continue
        match = _DAYS_BEFORE.search(folded)
        if match:
            days = int(match.group(1) or match.group(2))
            if 0 < days <= 60:
                return days
    return None


__all__ = [
    "DEFAULT_SELF_CHECK_DAYS",
    "ChecklistArea",
    "DraftRound",
    "InspectionPlanDraft",
    "parse_inspection_blocks",
    "parse_inspection_text",
]
