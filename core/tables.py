"""Reads a spreadsheet (.xlsx or .csv) into rows keyed by field, knowing headers by their words."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from core.files import UploadRejected, check_upload
from core.text import normalize_name, squash_spaces

MAX_ROWS = 20_000


@dataclass(frozen=True)
class SheetRow:
    number: int  # as the person sees it in Excel: header is row 1
    values: dict[str, str]

    @property
    def is_blank(self) -> bool:
        return not any(self.values.values())


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return squash_spaces(str(value))


def read_rows(
    name: str,
    stream: IO[bytes],
    *,
    cell: Callable[[object], str] = _cell_text,
    limit: int = MAX_ROWS + 1,
) -> list[list[str]]:
    """Every row of the first sheet (or of the CSV) as text, after checking the upload."""
    kind = check_upload(name, stream, {"xlsx", "csv"})
    if kind == "xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(stream, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise UploadRejected(_("The Excel file cannot be read: it may be damaged.")) from exc
        try:
            rows = []
            for row in workbook.worksheets[0].iter_rows(values_only=True):
                rows.append([cell(v) for v in row])
                if len(rows) > limit:
                    break
            return rows
        finally:
            workbook.close()
    raw = stream.read()
    # Excel's "Unicode text" is UTF-16 with a byte-order mark; everything else must be UTF-8.
    encoding = "utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UploadRejected(
            _("The CSV file must be saved as UTF-8 text (“CSV UTF-8” in Excel).")
        ) from exc
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[cell(v) for v in row] for row in csv.reader(io.StringIO(text), dialect)]


def map_headers(headers: Sequence[str], spec: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Column index per field; a header matches a field when it equals one of its spellings."""
    columns: dict[str, int] = {}
    keys = [normalize_name(h) for h in headers]
    for field, spellings in spec.items():
        wanted = {normalize_name(s) for s in spellings}
        for index, key in enumerate(keys):
            if key in wanted and index not in columns.values():
                columns[field] = index
                break
    return columns


def read_sheet(
    name: str,
    stream: IO[bytes],
    spec: Mapping[str, Sequence[str]],
    required: Sequence[str],
    labels: Mapping[str, str],
) -> list[SheetRow]:
    """Rows of the first sheet keyed by the fields of `spec`; refuses a file lacking columns."""
    rows = read_rows(name, stream)
    while rows and not any(rows[0]):
        rows.pop(0)
    if not rows:
        raise UploadRejected(_("The file has no rows."))
    columns = map_headers(rows[0], spec)
    missing = [labels[f] for f in required if f not in columns]
    if missing:
        raise UploadRejected(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(str(m) for m in missing)}
        )
    if len(rows) > MAX_ROWS + 1:
        raise UploadRejected(_("At most %(n)d rows can be imported at once.") % {"n": MAX_ROWS})
    result = []
    for offset, raw in enumerate(rows[1:], start=2):
        values = {f: (raw[i] if i < len(raw) else "") for f, i in columns.items()}
        row = SheetRow(number=offset, values=values)
        if not row.is_blank:
            result.append(row)
    return result
