"""The bodies a plan document names that are no department of the unit yet, and what to do
with each by default, so that a review confirmed without a change saves a sensible plan.

Spellings of one body ("Trung tâm Phục vụ hành chính công", "Trung tâm PV HCC") are one body:
one decision, one new department at most. A body is kept as written (not a department) when it
is vague ("các ngành liên quan", "các cơ quan, đơn vị liên quan"), outside the commune ("Sở Nội
vụ", "UBND tỉnh"), several bodies in one cell, or of no department kind; it is linked to an
existing department when its name is a near spelling of that department's; otherwise, when it
is written as a department of the commune ("Phòng …", "Trung tâm …"), it becomes one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from core.text import fold, normalize_name
from org.models import Department, Unit
from org.services import DepartmentMatcher, department_keys, query_keys
from plans.services import is_all_departments_lead

TEXT, NEW = "text", "new"
ALIAS, SAME = "alias:", "same:"
# Kinds of body that a commune's departments are.
DEPARTMENT_KINDS = ("van phong", "trung tam", "bo phan", "phong")
# Words that say a body is vague or plural: "các ngành liên quan", "những đơn vị".
_VAGUE_STARTS = ("cac ", "nhung ", "moi ", "toan the ", "tat ca ")
_VAGUE_WORDS = (" lien quan", " duoc giao", " co lien quan")
# Bodies above or outside the commune.
_OUTSIDE_STARTS = ("so ", "bo ", "ubnd ", "uy ban ", "hdnd ", "tinh ", "huyen ", "thanh pho ")
_OUTSIDE_WORDS = (" tinh", " huyen", " trung uong")
# A second body kind inside the name: two bodies written in one cell.
_INNER_KINDS = (" ban ", " phong ", " trung tam ", " van phong ", " to ", " bo phan ")
LIKELY = 0.86


@dataclass
class Body:
    """One body as the document writes it (every spelling), and the default decision."""

    index: int
    names: list[str]
    default: str  # TEXT, NEW, ALIAS + department id
    leads: int = 0  # tasks it is written as the lead of
    likely: Department | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return "\n".join(self.names)


def _padded(name: str) -> str:
    return f" {fold(name)} "


def is_vague(name: str) -> bool:
    text = fold(name).strip()
    return text.startswith(_VAGUE_STARTS) or any(w in f" {text} " for w in _VAGUE_WORDS)


def is_outside(name: str) -> bool:
    text = normalize_name(name)
    return text.startswith(_OUTSIDE_STARTS) or any(f"{w} " in f" {text} " for w in _OUTSIDE_WORDS)


def _department_kind(name: str) -> bool:
    return normalize_name(name).startswith(tuple(k + " " for k in DEPARTMENT_KINDS))


def _several(name: str) -> bool:
    text = normalize_name(name)
    return any(kind in f" {text} "[2:] for kind in _INNER_KINDS)


def _likely(name: str, departments: Sequence[Department]) -> Department | None:
    key = normalize_name(name)
    best, score = None, 0.0
    for department in departments:
        for known in (department.name, *department.aliases):
            ratio = SequenceMatcher(None, key, normalize_name(known)).ratio()
            if ratio > score:
                best, score = department, ratio
    return best if score >= LIKELY else None


def _default(name: str, departments: Sequence[Department]) -> tuple[str, Department | None]:
    if is_vague(name) or is_outside(name) or _several(name) or not _department_kind(name):
        return TEXT, None
    likely = _likely(name, departments)
    if likely is not None:
        return ALIAS + str(likely.pk), likely
    return NEW, None


def _written_names(data: Mapping[str, Any]) -> tuple[list[str], dict[str, int]]:
    names: list[str] = []
    leads: dict[str, int] = {}
    for task in data.get("tasks", []):
        lead = (task.get("lead") or "").strip()
        if lead:
            leads[lead] = leads.get(lead, 0) + 1
        for name in [lead, *task.get("coordinators", [])]:
            name = (name or "").strip()
            if is_all_departments_lead(name):
                continue  # every department: not a body to decide about
            if name and name not in names:
                names.append(name)
    for duty in data.get("duties", []):
        name = (duty.get("department") or "").strip()
        if name and name not in names:
            names.append(name)
    return names, leads


def unknown_bodies(unit: Unit, data: Mapping[str, Any]) -> list[Body]:
    """The bodies the draft names that match no department of the unit, spellings grouped."""
    departments = list(unit.departments.filter(is_active=True))
    matcher = DepartmentMatcher(unit, departments)
    unit_key = normalize_name(unit.name)
    names, leads = _written_names(data)
    unknown = [n for n in names if matcher.match(n) is None]
    groups: list[tuple[set[str], list[str]]] = []
    for name in unknown:
        keys = department_keys([name], unit_key) | query_keys(name, unit_key)
        if not is_vague(name):
            for group_keys, spellings in groups:
                if keys & group_keys and not is_vague(spellings[0]):
                    group_keys |= keys
                    spellings.append(name)
                    break
            else:
                groups.append((keys, [name]))
        else:
            groups.append((keys, [name]))
    bodies = []
    for index, (_keys, spellings) in enumerate(groups):
        # The spelling with the most words and capitals names a new department best.
        spellings.sort(key=lambda n: (-len(normalize_name(n).split()), n != n.strip()))
        default, likely = _default(spellings[0], departments)
        bodies.append(
            Body(
                index=index,
                names=spellings,
                default=default,
                leads=sum(leads.get(n, 0) for n in spellings),
                likely=likely,
            )
        )
    return bodies
