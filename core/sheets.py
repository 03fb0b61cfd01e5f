"""Writing .xlsx workbooks (reading them is `core.tables`)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rows_xlsx(rows: Iterable[Sequence[object]]) -> bytes:
    """An .xlsx file of one sheet holding `rows`, one list of cell values a row."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    return workbook_bytes(workbook)
