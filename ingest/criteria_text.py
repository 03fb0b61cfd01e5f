"""Section II of a PAR-index implementation plan: each department followed by its duties.

Seed 000 (Đông Quang) writes "1. Phòng Văn hóa - Xã hội: Tham mưu ... Cụ thể như sau:" and then
one bullet per duty; a duty often joins several clauses with ";" ("thực hiện đúng quy định về
tuyển dụng ...; thực hiện đúng quy định về bổ nhiệm ..."), each of which answers a different
criterion. The general plan reader (ingest.plan_text) finds the departments and their bullets;
this module turns them into duty clauses fit for matching against criteria:
- a lead-in that only announces the list ("... Cụ thể như sau:") is dropped;
- a duty is cut at ";" into clauses, each of at least three words (shorter pieces stay with the
  clause before them, so "...(nếu có); tiếp nhận ..." keeps its meaning).
Pure functions, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.text import fold, squash_spaces
from ingest.plan_text import parse_plan_text

MIN_CLAUSE_WORDS = 3


@dataclass(frozen=True)
class DepartmentDuties:
    department: str  # as written: "Văn phòng HĐND-UBND phường"
    duties: tuple[str, ...]


def _is_lead_in(text: str) -> bool:
    folded = fold(text).rstrip(" .")
    return folded.endswith(("nhu sau:", "nhu sau", "cu the:")) or folded.endswith(":")


def split_clauses(duty: str) -> list[str]:
    """ "A; B; C" → ["A", "B", "C"]; a short piece stays with the clause before it."""
    clauses: list[str] = []
    for piece in duty.split(";"):
        piece = squash_spaces(piece).strip(" .,")
        if not piece:
            continue
        if clauses and len(piece.split()) < MIN_CLAUSE_WORDS:
            clauses[-1] = f"{clauses[-1]}; {piece}"
        else:
            clauses.append(piece)
    return clauses


def parse_duties(text: str) -> list[DepartmentDuties]:
    """Departments and their duty clauses, in the order the plan writes them."""
    result = []
    for block in parse_plan_text(text).duties:
        clauses: list[str] = []
        for duty in block.duties:
            if _is_lead_in(duty):
                continue
            clauses.extend(split_clauses(duty))
        result.append(DepartmentDuties(block.department, tuple(clauses)))
    return result
