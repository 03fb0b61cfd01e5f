"""A plan draft (ingest.plan_text.PlanDraft) as plain JSON, for the import command and benchmarks.

The JSON uses a small public vocabulary rather than the internal enums, so that people and other
programs can read it without knowing the parser:

- document kind: "plan" | "decision" ("" when neither was recognised);
- milestone kind: "date" (due on `due`), "range" (from `start` to `due`), "recurring" (one per
  reporting period of the plan), "continuous" and "trigger" (no date), "unreadable" (a person
  must set the date; a warning names the task);
- target comparator: "eq", "gt", "gte", "lt", "lte", "between" (with `value_max`) or
  "qualitative" (no number to compare with: "tăng so với năm 2025", or nothing readable).

Dates are ISO strings or null; names of departments are kept as written. Pure functions.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from core.text import squash_spaces
from ingest.deadlines import MilestoneKind, ParsedMilestone
from ingest.plan_text import DatedEvent, DraftTarget, DraftTask, PlanDraft
from ingest.targets import Comparator

MILESTONE_KINDS: dict[MilestoneKind, str] = {
    MilestoneKind.DUE: "date",
    MilestoneKind.RANGE: "range",
    MilestoneKind.RECURRING: "recurring",
    MilestoneKind.CONTINUOUS: "continuous",
    MilestoneKind.TRIGGER: "trigger",
    MilestoneKind.UNREADABLE: "unreadable",
}
NUMERIC_COMPARATORS = frozenset(
    {
        Comparator.EXACTLY,
        Comparator.MORE_THAN,
        Comparator.AT_LEAST,
        Comparator.LESS_THAN,
        Comparator.AT_MOST,
        Comparator.BETWEEN,
    }
)
QUALITATIVE = "qualitative"
# Internal comparators with no figure to compare against; the direction is kept as an extra.
_DIRECTIONS = {
    Comparator.HIGHER_THAN_BASELINE: "higher",
    Comparator.LOWER_THAN_BASELINE: "lower",
}
_EXCERPT_WORDS = 12


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _excerpt(text: str) -> str:
    words = squash_spaces(text).split(" ")
    short = " ".join(words[:_EXCERPT_WORDS])
    return short + ("…" if len(words) > _EXCERPT_WORDS else "")


def task_label(task: DraftTask, index_in_area: int) -> str:
    """How a message names a task: "Nhiệm vụ II.5", or by its place for an unnumbered bullet."""
    number = task.number.rstrip(".")
    area = task.area_code
    if number:
        return f"Nhiệm vụ {area}.{number}" if area else f"Nhiệm vụ {number}"
    where = f" của lĩnh vực {area}" if area else ""
    return f"Nhiệm vụ thứ {index_in_area}{where}"


def milestone_json(milestone: ParsedMilestone) -> dict[str, Any]:
    kind = MILESTONE_KINDS[milestone.kind]
    return {
        "kind": kind,
        "start": _iso(milestone.start) if kind == "range" else None,
        "due": _iso(milestone.due),
        "label": milestone.label,
        "period": milestone.period,
    }


def task_json(task: DraftTask) -> dict[str, Any]:
    return {
        "area": task.area_code,
        "number": task.number,
        "content": task.content,
        "lead": task.lead,
        "coordinators": list(task.coordinators),
        "deadline_text": task.deadline_text,
        "product": task.product,
        "milestones": [milestone_json(m) for m in task.deadline.milestones],
        "group": task.group,
        "source": task.source,
        "warnings": list(task.warnings),
    }


def target_json(target: DraftTarget) -> dict[str, Any]:
    parsed = target.parsed
    numeric = parsed.comparator in NUMERIC_COMPARATORS and parsed.value is not None
    result: dict[str, Any] = {
        "area": target.area_code,
        "code": target.code,
        "text": target.text,
        "comparator": parsed.comparator.value if numeric else QUALITATIVE,
        "value": _number(parsed.value) if numeric else None,
        "value_max": _number(parsed.value_max) if numeric else None,
        "unit": parsed.unit if numeric else "",
        "monitoring": target.monitoring,
        "implementing": list(target.implementing),
    }
    direction = _DIRECTIONS.get(parsed.comparator)
    if direction:
        # "tăng 10% so với năm 2025": no target figure, but the change and its baseline are
        # worth keeping for the person who sets one.
        result["direction"] = direction
        result["baseline_year"] = parsed.baseline_year
        result["change"] = _number(parsed.value)
        result["change_unit"] = parsed.unit
    return result


def event_json(event: DatedEvent) -> dict[str, Any]:
    # A single known date is both the start and the end of the event.
    return {
        "purpose": event.label,
        "start": _iso(event.start or event.end),
        "end": _iso(event.end or event.start),
        "text": event.text,
    }


def _deadline_warnings(draft: PlanDraft) -> list[str]:
    warnings: list[str] = []
    positions: dict[str | None, int] = {}
    for task in draft.tasks:
        positions[task.area_code] = positions.get(task.area_code, 0) + 1
        if not task.deadline.needs_review:
            continue
        label = task_label(task, positions[task.area_code])
        if task.deadline_text.strip():
            reason = f"không đọc được thời hạn “{squash_spaces(task.deadline_text)}”"
        else:
            reason = "chưa ghi thời hạn"
        warnings.append(f"{label} ({_excerpt(task.content)}): {reason}, cần xác định thời hạn")
    return warnings


def draft_to_json(file_name: str, draft: PlanDraft) -> dict[str, Any]:
    """The draft as JSON-ready data (see the module docstring for the vocabulary)."""
    facts = draft.facts
    return {
        "file": file_name,
        "document": {
            "kind": facts.kind,
            "number": facts.number or None,  # "Số: /KH-UBND": the number is not given yet
            "number_suffix": facts.number_suffix,
            "date": _iso(facts.issued_on),
            "issued_month": facts.issued_month,
            "issued_year": facts.issued_year,
            "place": facts.place,
            "issuer": facts.issuing_body,
            "title": facts.title,
            "signer": facts.signer,
            "recipients": list(facts.recipients),
        },
        "plan_kind": facts.plan_kind,
        "signing_capacity": list(facts.signing_capacity),
        "implements": list(facts.implements),
        "unit": {"kind": facts.unit_kind, "name": facts.unit_name},
        "period": {"start": _iso(facts.period_start), "end": _iso(facts.period_end)},
        "areas": [{"code": a.code, "name": a.name, "order": a.order} for a in draft.areas],
        "tasks": [task_json(task) for task in draft.tasks],
        "targets": [target_json(target) for target in draft.targets],
        "assignments": [
            {"department": duty.department, "duties": list(duty.duties)} for duty in draft.duties
        ],
        "dates": [event_json(event) for event in draft.events],
        "warnings": [*draft.warnings, *_deadline_warnings(draft)],
    }


def looks_like_a_plan(draft: PlanDraft) -> bool:
    """Whether anything of a plan was recognised (else the file is probably not a plan)."""
    facts = draft.facts
    return any(
        (facts.title, facts.number_suffix, draft.areas, draft.tasks, draft.targets, draft.duties)
    )
