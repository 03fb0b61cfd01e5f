"""A document read as blocks (.docx, .pdf, .xlsx)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from core.text import squash_spaces
from ingest.plan_text.assemble import _read_lines
from ingest.plan_text.result import DocumentFacts, PlanDraft
from ingest.plan_text.split import _Table
from ingest.plan_text.tables import _grid, _target_header, _task_header
from ingest.plan_text.text import _clean

# What may stand before a tab in a Word paragraph and still belong to the text after it.
_TAB_MARKER = re.compile(
    r"^(?:[-–—•·+]|[IVXL]{1,5}[.)]|\d{1,2}(?:\.\d{1,2})*[.)]?|[a-zđ][.)]|Điều\s+\d+\s*[.:]?)$"
)


def _paragraph_lines(text: str) -> list[str]:
    """A paragraph's lines; a tab that lays out two columns ("Số: 16/QĐ-UBND<tab>Thành Đông,
    ngày ...") starts a line, a tab after a numbering ("1.<tab>Mục đích") is a space."""
    lines: list[str] = []
    for line in _clean(text).split("\n"):
        pieces = [squash_spaces(piece) for piece in line.split("\t")]
        pieces = [piece for piece in pieces if piece]
        if not pieces:
            continue
        current = pieces[0]
        for piece in pieces[1:]:
            if _TAB_MARKER.match(current):
                current = f"{current} {piece}"
            else:
                lines.append(current)
                current = piece
        lines.append(current)
    return lines


def _table_lines(grid: Sequence[Sequence[str]]) -> list[str]:
    """A layout table's text in reading order: row by row, left cell then right cell."""
    lines: list[str] = []
    for row in grid:
        previous = ""
        for cell in row:
            if cell and cell != previous:
                lines.extend(line for line in cell.split("\n") if line)
            previous = cell or previous
    return lines


def _block_lines(blocks: Sequence[object]) -> tuple[list[str], list[_Table]]:
    lines: list[str] = []
    tables: list[_Table] = []
    lines_at_last_table = -1  # the number of lines when the last table was taken
    for block in blocks:
        rows = getattr(block, "rows", None)
        if rows is None:
            text = block if isinstance(block, str) else getattr(block, "text", "")
            lines.extend(_paragraph_lines(text if isinstance(text, str) else ""))
            continue
        raw = [list(row) for row in rows if isinstance(row, list | tuple)]
        grid = _grid(raw)
        header = next(
            (
                (index, "task" if _task_header(row) else "target")
                for index, row in enumerate(grid)
                if _task_header(row) or _target_header(row)
            ),
            None,
        )
        if header is None:
            lines.extend(_table_lines(grid))
            continue
        index, kind = header
        if index == 0 and tables and tables[-1].kind == kind and lines_at_last_table == len(lines):
            # A table broken over pages as separate tables, the header repeated: one table.
            tables[-1].rows.extend(raw)
            continue
        lines.extend(_table_lines(grid[:index]))  # a title row above the header
        tables.append(_Table(kind, raw[index:]))
        lines_at_last_table = len(lines)
    return lines, tables


def parse_plan_blocks(blocks: Iterable[object]) -> PlanDraft:
    """Everything a plan read as blocks (.docx, .pdf, .xlsx) says; never raises.

    `blocks` are in reading order: paragraphs (anything with a `text`, or a str) and tables
    (anything with `rows`, rows of cell texts, a cell's lines joined with "\\n"). Paragraphs are
    read as the lines of parse_plan_text, each a paragraph of its own (wrapped lines come
    joined, so a line right under another is not taken for its continuation; one starting in
    lower case still is). A table whose header names task or target columns is read cell by
    cell as such (multi-line cells kept); any other table (the unit name beside the national
    motto, "Nơi nhận" beside the signature) gives its cells' lines, row by row and left cell
    first, as text.
    """
    try:
        lines, tables = _block_lines([] if isinstance(blocks, str | bytes) else list(blocks))
        return _read_lines(lines, tables, hard_breaks=True)
    except Exception as error:  # any input must give a draft, never a crash
        return PlanDraft(
            facts=DocumentFacts(),
            warnings=[f"Không đọc được văn bản ({type(error).__name__})"],
        )
