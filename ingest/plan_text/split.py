"""The tables of a plan's text found and taken out of its body lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ingest.plan_text.tables import _target_header, _task_header
from ingest.plan_text.text import _clean_cell
from ingest.plan_text.web_tables import _web_table


@dataclass
class _Table:
    kind: str  # "task" | "target"
    rows: list[list[str]]


def _split_tables(lines: Sequence[str]) -> tuple[list[str], list[_Table]]:
    """Body lines with the table rows blanked out, and the tables (tab-separated rows from the
    first recognised header to the last tab line, blank lines between pages allowed; a task
    table copied from a web page, see _web_table, from its header to its last task row)."""
    body = list(lines)
    tables: list[_Table] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if "\t" not in line:
            web = _web_table(lines, index)
            if web is None:
                index += 1
                continue
            end, rows = web
            tables.append(_Table("task", rows))
            for i in range(index, end):
                body[i] = ""
            index = end
            continue
        cells = [_clean_cell(cell) for cell in line.split("\t")]
        kind = "task" if _task_header(cells) else "target" if _target_header(cells) else ""
        if not kind:
            body[index] = line.replace("\t", " ")
            index += 1
            continue
        end = index
        probe = index
        while probe < len(lines) and ("\t" in lines[probe] or not lines[probe].strip()):
            if "\t" in lines[probe]:
                end = probe
            probe += 1
        rows = [lines[i].split("\t") for i in range(index, end + 1) if lines[i].strip()]
        tables.append(_Table(kind, rows))
        for i in range(index, end + 1):
            body[i] = ""
        index = end + 1
    return body, tables
