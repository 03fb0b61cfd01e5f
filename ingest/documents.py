"""Reading a plan document (.txt, .docx, .pdf, .xlsx) into blocks of text and tables, and from
them a draft plan. Every reader refuses what it cannot read with a message for the person.

Blocks keep a document's reading order: a Paragraph is one paragraph (Word) or one line of text
with its wrapped lines joined (PDF); a Table keeps its cells, a cell's lines joined with "\\n".

- .docx: the body in order (paragraphs, tables, content controls), Word's automatic numbering
  written out ("1.", "a)", "-"), a merged cell's text once (in its first column, "" in the columns
  it covers, "" under a vertical merge). Headers and footers are not read. A password-protected
  file (Office saves it as an OLE compound file, not a zip) is refused as such.
- .pdf: pdfium (pypdfium2, which pdfplumber is built on) for the characters and the drawn lines,
  pdfplumber's line-based table finder for the ruled tables. Text outside the tables becomes
  lines in vertical order; a line that only wrapped (the next line's first word would not have
  fitted on it) is joined to it; two-column layouts (the unit name beside the national motto,
  "Nơi nhận" beside the signature) are read left column first; page numbers are dropped; a table
  that goes on over the next page (same number of columns) stays one table. A PDF with no text
  at all is a scan: read with tesseract ("vie") when it is installed, refused otherwise; its
  ruled tables are recovered as tables (ingest.ocr) and the caller is told the pages read.
- .xlsx: the first sheet that has something, as one table.
- .txt: one Paragraph per line, read by plan_text as plain text.
"""

from __future__ import annotations

import ctypes
import io
import re
import shutil
import subprocess
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import pairwise
from pathlib import PurePath
from statistics import median
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from core.files import DOCUMENT_KINDS, UploadRejected, check_upload
from core.text import compact_key, roman
from ingest.plan_text import PlanDraft, parse_plan_blocks, parse_plan_text

MAX_PDF_PAGES = 200
MAX_OCR_PAGES = 40
OCR_SECONDS_PER_PAGE = 60
MAX_SHEET_ROWS = 20_000
MAX_SHEET_COLUMNS = 60

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# pdfium may not be called from two threads at once, not even on two documents.
_PDFIUM = threading.Lock()


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]


Block = Paragraph | Table
# Told the pages read so far and the pages in all while a scan is read: (read, pages).
Progress = Callable[[int, int], None]


@dataclass
class ReadDocument:
    name: str
    kind: str  # txt | docx | pdf | xlsx
    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None
    scanned: bool = False  # read by OCR

    @property
    def text(self) -> str:
        """The document as plain text, tables as tab-separated lines (shown beside the review)."""
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                lines.append(block.text)
            else:
                lines.extend(
                    "\t".join(cell.replace("\n", " ") for cell in row) for row in block.rows
                )
        return "\n".join(lines)


def _damaged() -> UploadRejected:
    return UploadRejected(_("The document cannot be read: it may be damaged."))


def _password_protected() -> UploadRejected:
    return UploadRejected(
        _(
            "The document is protected by a password; save a copy without a password and "
            "upload it again."
        )
    )


# --- Plain text ---------------------------------------------------------------------------------


def _read_txt(name: str, stream: IO[bytes]) -> ReadDocument:
    raw = stream.read()
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UploadRejected(_("The text file must be saved as UTF-8."))
    return ReadDocument(
        name=name, kind="txt", blocks=[Paragraph(line) for line in text.splitlines()]
    )


# --- Office files saved with a password ---------------------------------------------------------


def _refuse_ole_office_file(name: str, stream: IO[bytes]) -> None:
    """Office saves a password-protected .docx/.xlsx as an OLE compound file holding an
    "EncryptedPackage"; an old .doc/.xls renamed to the new extension is an OLE file too."""
    extension = PurePath(name or "").suffix.lower()
    if extension not in (".docx", ".xlsx"):
        return
    stream.seek(0)
    head = stream.read(len(_OLE_MAGIC))
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if not head.startswith(_OLE_MAGIC) or size > settings.MAX_UPLOAD_BYTES:
        return  # check_upload says what is wrong with it
    data = stream.read()
    stream.seek(0)
    encrypted = "EncryptedPackage".encode("utf-16-le") in data
    legacy = "WordDocument" if extension == ".docx" else "Workbook"
    if not encrypted and legacy.encode("utf-16-le") in data:
        if extension == ".docx":
            raise UploadRejected(
                _(
                    "This is an old Word document (.doc) named .docx; open it in Word, save it "
                    "as .docx and upload it again."
                )
            )
        raise UploadRejected(
            _(
                "This is an old Excel workbook (.xls) named .xlsx; open it in Excel, save it "
                "as .xlsx and upload it again."
            )
        )
    raise _password_protected()


# --- Word ---------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIPPED = frozenset(
    {
        f"{_W}pPr",
        f"{_W}rPr",
        f"{_W}del",
        f"{_W}moveFrom",
        f"{_W}instrText",
        f"{_W}delText",
        f"{_W}fldChar",
        f"{_W}footnoteReference",
        f"{_W}endnoteReference",
        f"{_W}commentReference",
        f"{_MC}Fallback",
    }
)
_BREAKS = frozenset({f"{_W}br", f"{_W}cr"})


def _val(element: Any, path: str, default: str | None = None) -> str | None:
    found = element.find(path) if element is not None else None
    if found is None:
        return default
    return found.get(f"{_W}val", default)


def _letter(number: int) -> str:
    number = max(number, 1)
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def _format_number(number: int, kind: str) -> str:
    if kind in ("lowerLetter",):
        return _letter(number)
    if kind == "upperLetter":
        return _letter(number).upper()
    if kind == "lowerRoman":
        return roman(number).lower()
    if kind == "upperRoman":
        return roman(number)
    if kind == "decimalZero":
        return f"{number:02d}"
    if kind == "none":
        return ""
    return str(number)


class _Numbering:
    """Word's automatic numbering written out: "1.", "a)", "I.", and "-"/"+" for bullets."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> level -> fmt
        self.style_numbers: dict[str, tuple[str | None, str | None]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            self._load(document)
        except Exception:  # no numbering part, or one Word would not open either: no labels
            self.levels.clear()

    def _load(self, document: Any) -> None:
        numbering = document.part.numbering_part.element
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for definition in numbering.findall(f"{_W}abstractNum"):
            levels = {}
            for level in definition.findall(f"{_W}lvl"):
                index = int(level.get(f"{_W}ilvl", "0") or 0)
                start = int(_val(level, f"{_W}start", "1") or 1)
                levels[index] = (
                    _val(level, f"{_W}numFmt", "decimal") or "decimal",
                    _val(level, f"{_W}lvlText", "") or "",
                    start,
                )
            abstract[definition.get(f"{_W}abstractNumId", "")] = levels
        for number in numbering.findall(f"{_W}num"):
            levels = dict(abstract.get(_val(number, f"{_W}abstractNumId", "") or "", {}))
            for override in number.findall(f"{_W}lvlOverride"):
                index = int(override.get(f"{_W}ilvl", "0") or 0)
                start = _val(override, f"{_W}startOverride")
                if start is not None and index in levels:
                    kind, text, _start = levels[index]
                    levels[index] = (kind, text, int(start))
            self.levels[number.get(f"{_W}numId", "")] = levels
        try:
            styles = document.styles.element.findall(f"{_W}style")
        except Exception:
            styles = []
        based_on: dict[str, str] = {}
        for style in styles:
            style_id = style.get(f"{_W}styleId", "")
            properties = style.find(f"{_W}pPr")
            numbers = properties.find(f"{_W}numPr") if properties is not None else None
            if numbers is not None:
                self.style_numbers[style_id] = (
                    _val(numbers, f"{_W}numId"),
                    _val(numbers, f"{_W}ilvl"),
                )
            parent = _val(style, f"{_W}basedOn")
            if parent:
                based_on[style_id] = parent
        for style_id in list(based_on):
            seen, current = {style_id}, based_on.get(style_id)
            while current and style_id not in self.style_numbers and current not in seen:
                if current in self.style_numbers:
                    self.style_numbers[style_id] = self.style_numbers[current]
                seen.add(current)
                current = based_on.get(current)

    def label(self, paragraph: Any) -> str:
        """The number or bullet Word shows before this paragraph, "" when none."""
        if not self.levels:
            return ""
        try:
            return self._label(paragraph)
        except (ValueError, IndexError, KeyError):
            return ""

    def _label(self, paragraph: Any) -> str:
        properties = paragraph.find(f"{_W}pPr")
        if properties is None:
            return ""
        numbers = properties.find(f"{_W}numPr")
        style_number = self.style_numbers.get(_val(properties, f"{_W}pStyle", "") or "")
        number_id = _val(numbers, f"{_W}numId") if numbers is not None else None
        level_text = _val(numbers, f"{_W}ilvl") if numbers is not None else None
        if style_number is not None:
            number_id = number_id or style_number[0]
            level_text = level_text or style_number[1]
        if not number_id or number_id == "0" or number_id not in self.levels:
            return ""
        levels = self.levels[number_id]
        level = int(level_text or 0) if (level_text or "0").isdigit() else 0
        if level not in levels:
            return ""
        counters = self.counters.setdefault(number_id, [0] * 10)
        level = min(level, 9)
        counters[level] = counters[level] + 1 if counters[level] else levels[level][2]
        for deeper in range(level + 1, 10):
            counters[deeper] = 0
        kind, text, _start = levels[level]
        if kind == "bullet":
            return "+" if text.strip() in ("+", "o", "◦") else "-"

        def number_of(match: re.Match[str]) -> str:
            at = int(match.group(1)) - 1
            if at not in levels or levels[at][0] == "bullet":
                return ""
            return _format_number(counters[at] or levels[at][2], levels[at][0])

        return re.sub(r"%([1-9])", number_of, text).strip()


def _inline_text(element: Any, out: list[str]) -> None:
    for node in element.iterchildren():
        tag = node.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == f"{_W}t":
            out.append(node.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            out.append("\t")
        elif tag in _BREAKS:
            out.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            out.append("-")
        elif tag == f"{_W}p":  # a paragraph inside a text box
            out.append("\n")
            _inline_text(node, out)
            out.append("\n")
        else:
            _inline_text(node, out)


def _paragraph_text(paragraph: Any, numbering: _Numbering) -> str:
    out: list[str] = []
    _inline_text(paragraph, out)
    text = "".join(out).strip("\n")
    if not text.strip():
        return ""
    label = numbering.label(paragraph)
    return f"{label} {text.lstrip()}" if label else text


def _cell_lines(container: Any, numbering: _Numbering) -> list[str]:
    lines: list[str] = []
    for child in container.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            text = _paragraph_text(child, numbering)
            if text.strip():
                lines.append(text)
        elif tag == f"{_W}tbl":
            for row in _table_rows(child, numbering):
                lines.extend(line for cell in row for line in cell.split("\n") if cell)
        elif tag in (f"{_W}sdt", f"{_W}customXml", f"{_W}ins", f"{_W}smartTag"):
            content = child.find(f"{_W}sdtContent") if tag == f"{_W}sdt" else child
            if content is not None:
                lines.extend(_cell_lines(content, numbering))
    return lines


def _row_cells(row: Any) -> Iterator[Any]:
    for child in row.iterchildren():
        if child.tag == f"{_W}tc":
            yield child
        elif child.tag in (f"{_W}sdt", f"{_W}customXml"):
            content = child.find(f"{_W}sdtContent") if child.tag == f"{_W}sdt" else child
            if content is not None:
                yield from _row_cells(content)


def _count(value: str | None, default: int) -> int:
    """A column count of the table grid, within reason (a damaged file may say anything)."""
    try:
        return min(max(int(value or default), default), 64)
    except ValueError:
        return default


def _table_rows(table: Any, numbering: _Numbering) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for row in table.iter(f"{_W}tr"):
        if row.getparent() is not table and row.getparent().tag != f"{_W}sdtContent":
            continue  # a row of a nested table: read inside its cell
        properties = row.find(f"{_W}trPr")
        cells = [""] * _count(_val(properties, f"{_W}gridBefore"), 0)
        for cell in _row_cells(row):
            cell_properties = cell.find(f"{_W}tcPr")
            span = _count(_val(cell_properties, f"{_W}gridSpan"), 1)
            merge = cell_properties.find(f"{_W}vMerge") if cell_properties is not None else None
            continued = merge is not None and merge.get(f"{_W}val", "continue") == "continue"
            text = "" if continued else "\n".join(_cell_lines(cell, numbering))
            cells.append(text)
            cells.extend([""] * (span - 1))
        while cells and not cells[-1]:
            cells.pop()
        if any(cells):
            rows.append(tuple(cells))
    return rows


def _docx_blocks(parent: Any, numbering: _Numbering) -> Iterator[Block]:
    for child in parent.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            text = _paragraph_text(child, numbering)
            if text.strip():
                yield Paragraph(text)
        elif tag == f"{_W}tbl":
            rows = _table_rows(child, numbering)
            if rows:
                yield Table(tuple(rows))
        elif tag in (f"{_W}sdt", f"{_W}customXml", f"{_W}ins", f"{_W}smartTag"):
            content = child.find(f"{_W}sdtContent") if tag == f"{_W}sdt" else child
            if content is not None:
                yield from _docx_blocks(content, numbering)


def _read_docx(name: str, stream: IO[bytes]) -> ReadDocument:
    import docx

    try:
        document = docx.Document(stream)
    except Exception as error:  # python-docx raises many kinds for a damaged package
        raise _damaged() from error
    numbering = _Numbering(document)
    blocks = list(_docx_blocks(document.element.body, numbering))
    return ReadDocument(name=name, kind="docx", blocks=blocks)


# --- PDF ----------------------------------------------------------------------------------------


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    base: float  # the baseline, from the top of the page
    size: float
    after_space: bool = False  # a space character stands before it in the page's content


@dataclass
class _Line:
    """A line of text (or one segment of it, when a wide gap splits a two-column layout)."""

    words: list[_Word]
    text: str = ""
    page: int = 0

    def __post_init__(self) -> None:
        self.text = " ".join(word.text for word in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def top(self) -> float:
        return min(word.top for word in self.words)

    @property
    def bottom(self) -> float:
        return max(word.bottom for word in self.words)

    @property
    def size(self) -> float:
        return max(word.size for word in self.words)

    @property
    def first_width(self) -> float:
        return self.words[0].x1 - self.words[0].x0


@dataclass
class _PdfTable:
    rows: list[list[str]]
    top: float
    bottom: float


@dataclass
class _PdfPage:
    number: int
    width: float
    height: float
    lines: list[_Line]  # outside the tables
    tables: list[_PdfTable]
    space: float  # the width of a space in the body text


_TERMINAL = (".", ";", ":", "!", "?", "…")
_PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:trang\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?[-–—\s]*$", re.I)


def _is_password_error(error: BaseException) -> bool:
    import pypdfium2.raw as pdfium_c

    code = getattr(error, "err_code", None)
    return code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY)


def _page_words(page: Any, height: float) -> tuple[list[_Word], float]:
    """The page's words in the order of its content, and the width of a space in it.

    Positions come from pdfium's character boxes (x) and baselines (y); a word's top and bottom
    are drawn from its baseline and font size, so that accents do not make lines uneven."""
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        count = pdfium_c.FPDFText_CountChars(raw)
        if count <= 0:
            return [], 0.0
        text = textpage.get_text_range(0, count)
        if len(text) != count:  # characters beyond the BMP: read them one by one
            text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 32) for i in range(count))
        box = pdfium_c.FS_RECTF()
        x, y = ctypes.c_double(), ctypes.c_double()
        words: list[_Word] = []
        spaces: list[float] = []
        chars: list[str] = []
        left = right = base = size = 0.0
        spaced = False

        def flush() -> None:
            nonlocal spaced
            if chars:
                words.append(
                    _Word(
                        "".join(chars),
                        left,
                        right,
                        base - 0.8 * size,
                        base + 0.2 * size,
                        base,
                        size,
                        spaced,
                    )
                )
                chars.clear()
                spaced = False

        for index, char in enumerate(text):
            if char.isspace() or char in "\x00\ufffe\uffff":
                flush()
                if char == " " and not pdfium_c.FPDFText_IsGenerated(raw, index):
                    pdfium_c.FPDFText_GetLooseCharBox(raw, index, box)
                    if 0 < box.right - box.left < 50:
                        spaces.append(box.right - box.left)
                    spaced = True
                continue
            pdfium_c.FPDFText_GetLooseCharBox(raw, index, box)
            pdfium_c.FPDFText_GetCharOrigin(raw, index, x, y)
            char_left, char_right = min(box.left, box.right), max(box.left, box.right)
            char_base = height - y.value
            if chars and (
                abs(char_base - base) > 0.3 * size
                or char_left - right > 0.2 * size
                or char_left < left - 0.5 * size
            ):
                flush()
            if not chars:
                left, base = char_left, char_base
                size = pdfium_c.FPDFText_GetFontSize(raw, index) or abs(box.top - box.bottom)
                size = max(size, 1.0)
            right = max(right, char_right) if chars else char_right
            chars.append(char)
        flush()
        return words, (median(spaces) if spaces else 0.0)
    finally:
        textpage.close()


def _page_edges(page: Any, height: float) -> list[dict[str, Any]]:
    """The horizontal and vertical strokes drawn on the page, as pdfplumber edges."""
    import pypdfium2.raw as pdfium_c

    edges: list[dict[str, Any]] = []
    matrix = pdfium_c.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()
    forms: list[tuple[int, tuple[float, ...]]] = []
    for obj in page.get_objects(max_depth=4):
        while forms and forms[-1][0] >= obj.level:
            forms.pop()
        if not pdfium_c.FPDFPageObj_GetMatrix(obj.raw, matrix):
            continue
        transform = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
        if forms:  # inside a form XObject: its points are in the form's space
            a, b, c, d, e, f = transform
            oa, ob, oc, od, oe, of = forms[-1][1]
            transform = (
                a * oa + b * oc,
                a * ob + b * od,
                c * oa + d * oc,
                c * ob + d * od,
                e * oa + f * oc + oe,
                e * ob + f * od + of,
            )
        if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            forms.append((obj.level, transform))
            continue
        if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        a, b, c, d, e, f = transform
        count = pdfium_c.FPDFPath_CountSegments(obj.raw)
        if count <= 0 or count > 20_000:
            continue
        start = last = None
        for index in range(count):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj.raw, index)
            if not segment or not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
                continue
            point = (a * x.value + c * y.value + e, height - (b * x.value + d * y.value + f))
            kind = pdfium_c.FPDFPathSegment_GetType(segment)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = last = point
                continue
            if last is not None and kind == pdfium_c.FPDF_SEGMENT_LINETO:
                _add_edge(edges, last, point)
            last = point
            if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
                _add_edge(edges, last, start)
                last = start
    return edges


def _add_edge(edges: list[dict[str, Any]], p: tuple[float, float], q: tuple[float, float]) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) < 0.5 and abs(x1 - x0) >= 1:
        left, right = sorted((x0, x1))
        edges.append(_edge(left, right, y0, y0, "h"))
    elif abs(x0 - x1) < 0.5 and abs(y1 - y0) >= 1:
        top, bottom = sorted((y0, y1))
        edges.append(_edge(x0, x0, top, bottom, "v"))


def _edge(x0: float, x1: float, top: float, bottom: float, orientation: str) -> dict[str, Any]:
    """A ruling line as pdfplumber describes one."""
    return {
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
        "object_type": "line",
    }


def _find_tables(edges: list[dict[str, Any]]) -> list[list[tuple[float, float, float, float]]]:
    """Ruled tables, as pdfplumber's "lines" strategy finds them: lists of cell boxes."""
    if len(edges) < 4 or len(edges) > 50_000:
        return []
    from pdfplumber.table import (
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )
    from pdfplumber.utils import filter_edges

    merged = filter_edges(merge_edges(edges, 3, 3, 3, 3), min_length=3)
    if len(merged) > 3000:
        return []  # a drawing, not a table
    cells = intersections_to_cells(edges_to_intersections(merged, 3, 3))
    return [table for table in cells_to_tables(cells) if len(table) >= 2]


def _cluster_lines(words: list[_Word]) -> list[list[_Word]]:
    """Words on one baseline, left to right."""
    lines: list[list[_Word]] = []
    for word in sorted(words, key=lambda w: (w.base, w.x0)):
        if lines and abs(word.base - lines[-1][0].base) <= 0.3 * max(word.size, 1.0):
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _split_segments(words: list[_Word]) -> list[list[_Word]]:
    """A line cut where a wide gap separates two columns of a layout (not a run of typed
    spaces, as in "ngày      tháng 5 năm 2026" left for the date to be written in)."""
    segments = [[words[0]]]
    for word in words[1:]:
        previous = segments[-1][-1]
        size = max(word.size, previous.size)
        gap = word.x0 - previous.x1
        if gap > max(24.0, 2.0 * size) and (not word.after_space or gap > 8 * size):
            segments.append([word])
        else:
            segments[-1].append(word)
    return segments


def _wraps_in(previous: _Line, following: _Line, right: float, space: float) -> bool:
    """Whether `following` goes on with `previous`: its first word did not fit at the end."""
    return previous.x1 + space + following.first_width > right


def _join(above: str, more: str) -> str:
    glue = "" if above.endswith("-") and more[:1].isdigit() else " "
    return f"{above}{glue}{more}"


def _cell_text(words: list[_Word], box: tuple[float, float, float, float], space: float) -> str:
    lines = [_Line(line) for line in _cluster_lines(words)]
    if not lines:
        return ""
    padding = max(0.0, min(line.x0 - box[0] for line in lines))
    right = box[2] - padding
    text = lines[0].text
    for previous, line in pairwise(lines):
        gap = line.top - previous.bottom
        wrapped = gap < 0.6 * previous.size and _wraps_in(
            previous, line, right, space or 0.25 * previous.size
        )
        text = _join(text, line.text) if wrapped else f"{text}\n{line.text}"
    return text


def _pdf_table_rows(
    cells: list[tuple[float, float, float, float]], words: list[_Word], space: float
) -> list[list[str]]:
    lefts = sorted({round(cell[0], 1) for cell in cells})
    tops = sorted({round(cell[1], 1) for cell in cells})
    by_cell: dict[tuple[float, float, float, float], list[_Word]] = {cell: [] for cell in cells}
    ordered = sorted(cells, key=lambda c: (c[1], c[0]))
    for word in words:
        cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
        for cell in ordered:
            if cell[0] <= cx <= cell[2] and cell[1] <= cy <= cell[3]:
                by_cell[cell].append(word)
                break
    grid = [[""] * len(lefts) for _ in tops]
    for cell in cells:
        row = tops.index(round(cell[1], 1))
        column = lefts.index(round(cell[0], 1))
        grid[row][column] = _cell_text(by_cell[cell], cell, space)
    rows = []
    for row in grid:
        while row and not row[-1]:
            row.pop()
        if any(row):
            rows.append(row)
    return rows


def _read_pdf_page(index: int, page: Any) -> _PdfPage:
    width, height = page.get_size()
    words_in_order, space = _page_words(page, height)
    if not words_in_order:
        return _PdfPage(index, width, height, [], [], space)
    tables = _find_tables(_page_edges(page, height))
    boxes = [
        (min(c[0] for c in t), min(c[1] for c in t), max(c[2] for c in t), max(c[3] for c in t))
        for t in tables
    ]
    inside: list[list[_Word]] = [[] for _ in tables]
    outside: list[_Word] = []
    for word in words_in_order:
        cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
        for k, (x0, top, x1, bottom) in enumerate(boxes):
            if x0 <= cx <= x1 and top <= cy <= bottom:
                inside[k].append(word)
                break
        else:
            outside.append(word)
    found = [
        _PdfTable(_pdf_table_rows(cells, inside[k], space), boxes[k][1], boxes[k][3])
        for k, cells in enumerate(tables)
    ]
    lines: list[_Line] = []
    for line in _cluster_lines(outside):
        text = " ".join(word.text for word in line)
        top = min(word.top for word in line)
        bottom = max(word.bottom for word in line)
        if _PAGE_NUMBER.match(text) and (top < 0.08 * height or bottom > 0.92 * height):
            continue  # a page number
        lines.extend(_Line(segment, page=index) for segment in _split_segments(line))
    return _PdfPage(index, width, height, lines, [t for t in found if t.rows], space)


@dataclass
class _Item:
    top: float
    line: _Line | None = None
    table: _PdfTable | None = None
    run: list[_Line] = field(default_factory=list)  # a two-column passage, its lines in order


def _page_items(page: _PdfPage) -> list[_Item]:
    """The page's lines, two-column passages and tables in vertical order.

    A two-column passage starts where two lines stand side by side (the unit name beside the
    national motto, "Nơi nhận:" beside "TM. ỦY BAN NHÂN DÂN") and goes on while each next line
    keeps to one side, aligned with that column (same left edge or same centre)."""
    lines = sorted(page.lines, key=lambda line: (line.top, line.x0))
    items: list[_Item] = []
    used: set[int] = set()
    for k, line in enumerate(lines):
        if k in used:
            continue
        beside = [
            j
            for j in range(k + 1, min(k + 8, len(lines)))
            if j not in used
            and lines[j].top < line.bottom
            and lines[j].bottom > line.top
            and (lines[j].x0 > line.x1 + 8 or lines[j].x1 < line.x0 - 8)
        ]
        if not beside:
            used.add(k)
            items.append(_Item(line.top, line=line))
            continue
        first = sorted([k, *beside], key=lambda j: lines[j].x0)
        left, right = [lines[first[0]]], [lines[j] for j in first[1:]]
        used.update(first)
        for j in range(k + 1, len(lines)):
            if j in used:
                continue
            candidate = lines[j]
            if candidate.x1 < min(r.x0 for r in right) - 2 and _aligned(candidate, left):
                left.append(candidate)
            elif candidate.x0 > max(r.x1 for r in left) + 2 and _aligned(candidate, right):
                right.append(candidate)
            else:
                break
            used.add(j)
        items.append(_Item(line.top, run=_column_lines(left) + _column_lines(right)))
    for table in page.tables:
        items.append(_Item(table.top, table=table))
    items.sort(key=lambda item: item.top)
    return items


def _aligned(line: _Line, column: list[_Line]) -> bool:
    centre = (line.x0 + line.x1) / 2
    return any(
        abs(line.x0 - other.x0) < 2 or abs(centre - (other.x0 + other.x1) / 2) < 3
        for other in column
    )


def _column_lines(lines: list[_Line]) -> list[_Line]:
    """The lines of one column; a line that goes on with the one above ("(đề b/c);") joined."""
    out: list[_Line] = []
    for line in lines:
        if out:
            previous = out[-1]
            first = next((char for char in line.text if char.isalpha()), "")
            if (
                line.top - previous.bottom < 0.6 * previous.size
                and not previous.text.endswith(_TERMINAL)
                and (first.islower() or line.text.startswith("("))
            ):
                out[-1] = _Line(previous.words + line.words, page=previous.page)
                continue
        out.append(line)
    return out


def _pdf_blocks(pages: list[_PdfPage]) -> list[Block]:
    # The text column of each page size: where justified lines end and body lines start.
    rights: dict[int, float] = {}
    lefts: dict[int, float] = {}
    for page in pages:
        key = round(page.width)
        for line in page.lines:
            rights[key] = max(rights.get(key, 0.0), line.x1)
            lefts[key] = min(lefts.get(key, page.width), line.x0)
    out: list[str | list[list[str]]] = []  # paragraph texts and table rows, in order
    last_line: _Line | None = None  # the line the next one may go on from
    for page in pages:
        key = round(page.width)
        right, left = rights.get(key, page.width), lefts.get(key, 0.0)
        for position, item in enumerate(_page_items(page)):
            above = out[-1] if out else None
            if item.table is not None:
                rows = [list(row) for row in item.table.rows]
                if (
                    position == 0
                    and isinstance(above, list)
                    and max(map(len, above)) == max(map(len, rows))
                ):
                    above.extend(rows)  # the table goes on from the page before
                else:
                    out.append(rows)
                last_line = None
            elif item.run:
                out.extend(line.text for line in item.run)
                last_line = None
            elif item.line is not None:
                line = item.line
                if (
                    last_line is not None
                    and isinstance(above, str)
                    and _goes_on(last_line, line, left, right, page.space)
                ):
                    out[-1] = _join(above, line.text)
                else:
                    out.append(line.text)
                last_line = line
    return [
        Paragraph(block) if isinstance(block, str) else Table(tuple(map(tuple, block)))
        for block in out
    ]


def _goes_on(previous: _Line, line: _Line, left: float, right: float, space: float) -> bool:
    """Whether a line only wrapped onto the next one (on the same page or the next)."""
    if abs(previous.size - line.size) > 1.0:
        return False
    if previous.page == line.page and line.top - previous.bottom > 0.6 * previous.size:
        return False  # a paragraph gap
    space = space or 0.25 * previous.size
    middle = (left + right) / 2
    centred = previous.x0 > left + 4 and abs((previous.x0 + previous.x1) / 2 - middle) < 3
    if centred:
        return previous.x1 - previous.x0 + space + line.first_width > right - left
    return _wraps_in(previous, line, right, space)


def _tesseract_has_vietnamese() -> bool:
    if not shutil.which("tesseract"):
        return False
    try:
        listed = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return "vie" in (listed.stdout + listed.stderr).split()


def _scan_refused() -> UploadRejected:
    return UploadRejected(
        _(
            "The PDF has no text layer (it is a scan). Upload the Word file, or a PDF saved "
            "from Word, instead."
        )
    )


def _ocr(document: Any, progress: Progress | None = None) -> list[Block]:
    """A scanned PDF read page by page with tesseract's Vietnamese model, its ruled tables
    recovered as tables (ingest.ocr); `progress(pages read, pages)` is told after each page."""
    from ingest.ocr import DPI, read_page

    count = len(document)
    if count > MAX_OCR_PAGES:
        raise UploadRejected(
            _(
                "The PDF is a scan of %(pages)d pages; at most %(limit)d scanned pages are "
                "read. Upload the Word file instead."
            )
            % {"pages": count, "limit": MAX_OCR_PAGES}
        )
    if progress is not None:
        progress(0, count)
    out: list[str | list[list[str]]] = []
    for index in range(count):
        page = document[index]
        try:
            image = page.render(scale=DPI / 72, grayscale=True).to_pil()
        finally:
            page.close()
        try:
            read = read_page(image, OCR_SECONDS_PER_PAGE)
        except (OSError, subprocess.SubprocessError) as error:
            raise _scan_refused() from error
        for position, (kind, value) in enumerate(read.items):
            above = out[-1] if out else None
            if kind == "text":
                if not (_PAGE_NUMBER.match(value) and position in (0, len(read.items) - 1)):
                    out.append(value)
            elif position == 0 and isinstance(above, list) and len(above[0]) == len(value[0]):
                above.extend(value)  # the table goes on from the page before
            else:
                out.append(value)
        if progress is not None:
            progress(index + 1, count)
    return [
        Paragraph(block) if isinstance(block, str) else Table(tuple(map(tuple, block)))
        for block in out
    ]


def _pdf_is_complete(stream: IO[bytes]) -> bool:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(max(0, size - 4096))
    tail = stream.read()
    stream.seek(0)
    return b"%%EOF" in tail


def _read_pdf(name: str, stream: IO[bytes], progress: Progress | None = None) -> ReadDocument:
    import pypdfium2 as pdfium

    if not _pdf_is_complete(stream):
        raise UploadRejected(
            _(
                "The PDF is incomplete: it was cut off while being saved or sent. Send the "
                "whole file again."
            )
        )
    data = stream.read()
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            if _is_password_error(error):
                raise _password_protected() from error
            raise _damaged() from error
        try:
            return _read_pdf_document(name, document, progress)
        finally:
            document.close()


def _read_pdf_document(name: str, document: Any, progress: Progress | None = None) -> ReadDocument:
    count = len(document)
    if count == 0:
        raise _damaged()
    if count > MAX_PDF_PAGES:
        raise UploadRejected(
            _("The PDF has %(pages)d pages; at most %(limit)d pages are read.")
            % {"pages": count, "limit": MAX_PDF_PAGES}
        )
    pages = []
    for index in range(count):
        page = document[index]
        try:
            pages.append(_read_pdf_page(index, page))
        finally:
            page.close()
    if any(page.lines or page.tables for page in pages):
        return ReadDocument(name=name, kind="pdf", blocks=_pdf_blocks(pages), pages=count)
    if not _tesseract_has_vietnamese():
        raise _scan_refused()
    return ReadDocument(
        name=name, kind="pdf", blocks=_ocr(document, progress), pages=count, scanned=True
    )


# --- Excel --------------------------------------------------------------------------------------


def _sheet_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == 0:
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("_x000D_", "")
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def _read_xlsx(name: str, stream: IO[bytes]) -> ReadDocument:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise _damaged() from error
    try:
        blocks: list[Block] = []
        for sheet in workbook.worksheets:
            rows: list[tuple[str, ...]] = []
            for values in sheet.iter_rows(values_only=True, max_col=MAX_SHEET_COLUMNS):
                cells = [_sheet_cell(value) for value in values]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    rows.append(tuple(cells))
                if len(rows) > MAX_SHEET_ROWS:
                    raise UploadRejected(
                        _("The sheet has more than %(n)d rows; it cannot be a plan.")
                        % {"n": MAX_SHEET_ROWS}
                    )
            if rows:
                # Lines above the table (its title, "Kèm theo Quyết định số …") are the sheet's
                # text: they say which plan and which period the tasks belong to.
                while len(rows) > 1 and len([cell for cell in rows[0] if cell]) == 1:
                    blocks.append(Paragraph(next(cell for cell in rows.pop(0) if cell)))
                blocks.append(Table(tuple(rows)))
                break
        return ReadDocument(name=name, kind="xlsx", blocks=blocks)
    finally:
        workbook.close()


# --- Entry points -------------------------------------------------------------------------------

_READERS = {"txt": _read_txt, "docx": _read_docx, "pdf": _read_pdf, "xlsx": _read_xlsx}


def read_document(name: str, stream: IO[bytes], progress: Progress | None = None) -> ReadDocument:
    """Check the upload and read it into blocks; anything unreadable is an UploadRejected.
    `progress` is told the pages read of a scanned PDF (the slow case) as they are read."""
    try:
        _refuse_ole_office_file(name, stream)
        kind = check_upload(name, stream, DOCUMENT_KINDS)
        reader = _READERS.get(kind)
        if reader is None:
            raise UploadRejected(
                _("Files of type “%(ext)s” are not accepted.") % {"ext": PurePath(name).suffix}
            )
        stream.seek(0)
        if reader is _read_pdf:
            return _read_pdf(name, stream, progress)
        return reader(name, stream)
    except UploadRejected:
        raise
    except Exception as error:  # any reader failure is a file we cannot read, never a crash
        raise _damaged() from error


def draft_from_document(document: ReadDocument) -> PlanDraft:
    """The draft plan: a .txt is read as the plain text it is, other documents block by block
    (tables as tables, each paragraph a line of its own)."""
    if document.kind == "txt":
        return parse_plan_text(document.text)
    return parse_plan_blocks(document.blocks)


_DASH_KINDS = re.compile(r"[‐‑‒–—−]")


def _name_key(name: str) -> str:
    """`compact_key` without the specks a scan adds ("Xã [|hội =.")."""
    return re.sub(r"[^0-9a-z]", "", compact_key(name))


def agree_names(draft: PlanDraft) -> None:
    """In a scanned plan the same body is read a little differently from row to row ("Phòng Văn
    hóa - Xã hội", "Phòng Văn hóa Xã hội", "dịch vụsự"): each body takes the spelling read most
    often, letters and spaces kept, so one body is not offered as several."""
    names: list[str] = []
    for task in draft.tasks:
        names += [task.lead, *task.coordinators]
    for target in draft.targets:
        names += [target.monitoring, *target.implementing]
    counts = Counter(name for name in names if name)
    best: dict[str, str] = {}
    for name, count in counts.items():
        key = _name_key(name)
        chosen = best.get(key)
        if chosen is None or (count, len(name)) > (counts[chosen], len(chosen)):
            best[key] = name

    def agreed(name: str) -> str:
        chosen = best.get(_name_key(name), name) if name else name
        # A dash of another length is a dash as written, not a misreading.
        return name if _DASH_KINDS.sub("-", chosen) == _DASH_KINDS.sub("-", name) else chosen

    for task in draft.tasks:
        task.lead = agreed(task.lead)
        task.coordinators = [agreed(name) for name in task.coordinators]
    for target in draft.targets:
        target.monitoring = agreed(target.monitoring)
        target.implementing = [agreed(name) for name in target.implementing]


def looks_like_plan(draft: PlanDraft) -> bool:
    facts = draft.facts
    return any(
        (
            draft.areas,
            draft.tasks,
            draft.targets,
            draft.duties,
            facts.title,
            facts.number_suffix,
        )
    )


def read_plan(
    name: str, stream: IO[bytes], progress: Progress | None = None
) -> tuple[ReadDocument, PlanDraft]:
    """Read a plan document and propose the structured plan it describes."""
    document = read_document(name, stream, progress)
    try:
        draft = draft_from_document(document)
        if document.scanned:
            agree_names(draft)
    except Exception as error:  # the parsers never raise; this is the last guard
        raise _damaged() from error
    if not looks_like_plan(draft):
        raise UploadRejected(
            _("This document does not look like a plan: no reform area, task or target was found.")
        )
    return document, draft


__all__ = [
    "DOCUMENT_KINDS",
    "Block",
    "Paragraph",
    "Progress",
    "ReadDocument",
    "Table",
    "draft_from_document",
    "looks_like_plan",
    "read_document",
    "read_plan",
]
