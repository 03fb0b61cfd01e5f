"""The whole plan read from its text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ingest.plan_text.body import _Entry, _loose_targets, _read_areas, _target_of, _task_of
from ingest.plan_text.duties import _duties
from ingest.plan_text.events import _events
from ingest.plan_text.facts import _facts
from ingest.plan_text.lines import _items, _sections
from ingest.plan_text.result import DocumentFacts, DraftArea, DraftTarget, DraftTask, PlanDraft
from ingest.plan_text.split import _split_tables, _Table
from ingest.plan_text.tables import parse_target_table, parse_task_table
from ingest.plan_text.text import _clean, _guarded


def parse_plan_text(text: str) -> PlanDraft:
    """Everything a plan's plain text says that the app records; never raises."""
    try:
        return _read_plan(text if isinstance(text, str) else "")
    except Exception as error:  # any input must give a draft, never a crash
        return PlanDraft(
            facts=DocumentFacts(),
            warnings=[f"Không đọc được văn bản ({type(error).__name__})"],
        )


def _read_plan(text: str) -> PlanDraft:
    lines = _clean(text).split("\n")
    body, tables = _split_tables(lines)
    return _read_lines(body, tables)


def _read_lines(body: list[str], tables: Sequence[_Table], hard_breaks: bool = False) -> PlanDraft:
    """The draft from the body lines (table rows taken out) and the task and target tables."""
    warnings: list[str] = []
    items = _items(body, hard_breaks)
    sections = _sections(items)
    facts = _guarded(warnings, "thông tin văn bản", lambda: _facts(body, sections), DocumentFacts())
    start, end = facts.period_start, facts.period_end

    table_areas: list[DraftArea] = []
    table_tasks: list[DraftTask] = []
    table_targets: list[DraftTarget] = []
    target_areas: list[DraftArea] = []
    for table in tables:
        if table.kind == "task":
            areas, tasks, found = parse_task_table(table.rows, period_start=start, period_end=end)
            offset = len(table_areas)
            table_areas += [replace(area, order=area.order + offset) for area in areas]
            table_tasks += tasks
        else:
            areas, targets, found = parse_target_table(table.rows)
            target_areas += areas
            table_targets += targets
        warnings += found

    def read_body() -> tuple[list[DraftArea], list[_Entry]]:
        areas: list[DraftArea] = []
        entries: list[_Entry] = []
        for section in sections:
            if section.role != "areas":
                continue
            found_areas, found_entries = _read_areas(section.items[1:])
            for code, name in found_areas:
                areas.append(DraftArea(order=len(areas) + 1, code=code, name=name))
            entries += found_entries
        return areas, entries

    body_areas, entries = _guarded(warnings, "các lĩnh vực", read_body, ([], []))
    loose = _guarded(warnings, "các chỉ tiêu", lambda: _loose_targets(sections), [])
    targets = [_target_of(entry) for entry in loose]
    targets += [_target_of(entry) for entry in entries if entry.kind == "target"]
    targets += table_targets
    prose = [_task_of(entry, start, end) for entry in entries if entry.kind == "task"]

    draft = PlanDraft(
        facts=facts,
        areas=table_areas or body_areas or target_areas,
        targets=targets,
        tasks=table_tasks or prose,
        duties=_guarded(warnings, "phân công trách nhiệm", lambda: _duties(items), []),
        events=_guarded(warnings, "các mốc thời gian", lambda: _events(items, start, end), []),
        warnings=warnings,
    )
    if not any(
        (facts.title, facts.number_suffix, draft.areas, draft.tasks, draft.targets, draft.duties)
    ):
        warnings.append("Không nhận ra nội dung kế hoạch trong văn bản")
    elif facts.period_start is None:
        warnings.append("Không xác định được thời gian thực hiện của kế hoạch")
    return draft
