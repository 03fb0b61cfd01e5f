"""Write each seed plan (fixtures/seeds/NNN_*.txt) as the Word and PDF files an official sends.

    .venv/bin/python scripts/make_seed_documents.py

Beside every NAME.txt it writes NAME.docx (python-docx, Times New Roman: paragraphs as
paragraphs, the tab-separated appendix as one real Word table, the header with the unit name and
the national motto and the "Nơi nhận / signature" block as borderless two-column tables, as Word
plans are laid out) and NAME.pdf (reportlab, DejaVu fonts so that Vietnamese renders, A4, the
appendix as a ruled table over landscape pages with its header repeated on every page). For seed
001 it also writes NAME.xlsx with the appendix alone, as a sheet an official might send.

The .txt is how the seeds come: lines wrapped where the original PDF wrapped them, "**bold**" and
"*italic*" marks, table rows as tab-separated lines with the header repeated after page breaks.
The Word and PDF paragraphs are the txt's paragraphs (its wrapped lines joined, as Word holds
them); the Word table keeps the rows exactly as the txt has them, page-break repeats included.
Output is deterministic: fixed dates in the metadata and in the zip entries, reportlab invariant.
"""

from __future__ import annotations

import io
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.text import fold, squash_spaces  # noqa: E402
from ingest.plan_text import (  # noqa: E402
    _BOLD,
    _clean,
    _clean_cell,
    _is_capacity,
    _is_person_name,
    _is_upper,
    _items,
    _join_continued,
    _task_header,
    _unbold,
    parse_plan_text,
    parse_task_table,
)

SEEDS = ROOT / "fixtures" / "seeds"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
FIXED_DATE = datetime(2026, 1, 14, 8, 0, 0)
ZIP_DATE = (2026, 1, 14, 8, 0, 0)

Run = tuple[str, bool, bool]  # text, bold, italic


# --- The seed as blocks -------------------------------------------------------------------------


@dataclass
class Para:
    runs: list[Run]
    align: str = "justify"  # justify | center | left
    space_after: bool = False  # a blank line follows in the txt
    page_break_before: bool = False

    @property
    def text(self) -> str:
        return "".join(text for text, _, _ in self.runs)


@dataclass
class Columns:
    """A borderless two-column table: rows of (left lines, right lines)."""

    rows: list[tuple[list[list[Run]], list[list[Run]]]]
    kind: str  # header | signature


@dataclass
class Grid:
    rows: list[list[str]]  # as the txt has them (page-break header repeats, continued rows)
    logical: list[list[str]] = field(default_factory=list)  # one row per task or group


Block = Para | Columns | Grid


def _marked_lines(text: str) -> list[list[Run]]:
    """The lines of a txt passage as runs, with "**" and "*" turned into bold and italic exactly
    where plan_text._clean drops them (the plain text of the lines is _clean's)."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    pieces: list[tuple[str, bool]] = []
    bold = False
    position = 0
    for match in _BOLD.finditer(text):
        pieces.append((text[position : match.start()], bold))
        pieces.append((_unbold(match), bold))
        bold = not bold
        position = match.end()
    pieces.append((text[position:], bold))

    lines: list[list[Run]] = [[]]
    italic = False
    for piece, piece_bold in pieces:
        for index, part in enumerate(piece.split("\n")):
            if index:
                lines.append([])
            if not lines[-1] and re.match(r"^[ \t]*\*[ \t]+", part):
                part = re.sub(r"^([ \t]*)\*[ \t]+", r"\1- ", part)
            for k, chunk in enumerate(part.split("*")):
                if k:
                    italic = not italic
                if chunk:
                    lines[-1].append((chunk, piece_bold, italic))
    plain = ["".join(t for t, _, _ in line) for line in lines]
    assert plain == _clean(text).split("\n"), "markup does not match plan_text._clean"
    return lines


def _strip_runs(runs: list[Run]) -> list[Run]:
    """Runs with the line's outer spaces removed and inner runs of spaces squashed."""
    out: list[Run] = []
    for text, bold, italic in runs:
        text = re.sub(r"\s+", " ", text)
        if out and out[-1][1:] == (bold, italic):
            out[-1] = (out[-1][0] + text, bold, italic)
        else:
            out.append((text, bold, italic))
    if out:
        out[0] = (out[0][0].lstrip(), *out[0][1:])
        out[-1] = (out[-1][0].rstrip(), *out[-1][1:])
    return [run for run in out if run[0]]


def _logical_rows(rows: list[list[str]]) -> list[list[str]]:
    """The appendix as an official's spreadsheet holds it: the header once, each task in one row
    (the part a page break pushed to a row of its own joined back as plan_text joins it)."""
    header = rows[0]
    out = [list(header)]
    for row in rows[1:]:
        cells = [_clean_cell(cell) for cell in row] + [""] * (len(header) - len(row))
        if cells == [_clean_cell(cell) for cell in header]:
            continue
        if not cells[0] and any(cells) and len(out) > 1:
            out[-1] = [_join_continued(a, b) for a, b in zip(out[-1], cells, strict=True)]
            continue
        out.append(cells)
    return out


def _unit_header(draft_unit: tuple[str, str]) -> list[list[Run]]:
    kind, name = draft_unit
    return [[("ỦY BAN NHÂN DÂN", True, False)], [(f"{kind} {name}".upper(), True, False)]]


MOTTO: list[list[Run]] = [
    [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False)],
    [("Độc lập - Tự do - Hạnh phúc", True, False)],
]


def seed_blocks(text: str) -> list[Block]:
    """The seed as Word/PDF blocks: paragraphs, the appendix table, header and signature."""
    raw_lines = text.replace("\r\n", "\n").split("\n")
    # The appendix: tab lines from the header to the last tab line (blank lines between pages).
    table_at = next(
        (i for i, line in enumerate(raw_lines) if "\t" in line and _task_header(line.split("\t"))),
        None,
    )
    grid: Grid | None = None
    if table_at is not None:
        end = max(i for i, line in enumerate(raw_lines) if "\t" in line)
        rows = [raw_lines[i].split("\t") for i in range(table_at, end + 1) if raw_lines[i].strip()]
        grid = Grid(rows=rows, logical=_logical_rows(rows))
        raw_lines = [*raw_lines[:table_at], "", *raw_lines[end + 1 :]]

    lines = _marked_lines("\n".join(raw_lines))
    plain = ["".join(t for t, _, _ in line) for line in lines]
    items = _items(plain)
    draft = parse_plan_text(text)
    unit = (draft.facts.unit_kind, draft.facts.unit_name)

    # Group the txt lines into paragraphs: an item's wrapped lines are one paragraph.
    paragraphs: list[tuple[int, int, list[Run]]] = []  # first line, last line, runs
    for item in items:
        runs: list[Run] = []
        previous = ""
        for index in range(item.line, item.last_line + 1):
            stripped = squash_spaces(plain[index])
            if not stripped:
                continue
            if runs:
                glue = "" if previous.endswith("-") and stripped[:1].isdigit() else " "
                runs.append((glue, False, False))
            runs.extend(_strip_runs(lines[index]))
            previous = f"{previous}{' ' if previous else ''}{stripped}"
        paragraphs.append((item.line, item.last_line, _strip_runs(runs)))

    def blank_after(last: int) -> bool:
        return last + 1 < len(plain) and not plain[last + 1].strip()

    blocks: list[Block] = []
    k = 0
    # The header: "Số: ..." and "<place>, ngày ..." become a table under the unit and the motto.
    texts = [squash_spaces("".join(t for t, _, _ in runs)) for _, _, runs in paragraphs]
    if (
        len(texts) >= 2
        and fold(texts[0]).startswith("so")
        and ", ngay" in fold(texts[1])
        and unit[0]
    ):
        blocks.append(
            Columns(
                rows=[
                    (_unit_header(unit), MOTTO),
                    ([paragraphs[0][2]], [[(texts[1], False, True)]]),
                ],
                kind="header",
            )
        )
        k = 2
    after_heading = False
    while k < len(paragraphs):
        first, last, runs = paragraphs[k]
        line_text = texts[k]
        folded = fold(line_text)
        if folded.startswith("noi nhan"):
            # "Nơi nhận" and its list on the left, the capacity and the signer on the right.
            left = [runs]
            j = k + 1
            while j < len(paragraphs) and not _is_capacity(texts[j]):
                left.append(paragraphs[j][2])
                j += 1
            right: list[list[Run]] = []
            while j < len(paragraphs) and _is_capacity(texts[j]):
                right.append([(texts[j], True, False)])
                j += 1
            if j < len(paragraphs) and _is_person_name(texts[j]):
                right += [[], [], [(texts[j], True, False)]]
                j += 1
            left[0] = [(line_text, True, True)]
            blocks.append(Columns(rows=[(left, right)], kind="signature"))
            k = j
            continue
        if grid is not None and table_at is not None and first > table_at and grid not in blocks:
            blocks.append(grid)
        heading = line_text in ("KẾ HOẠCH", "QUYẾT ĐỊNH") or line_text.startswith("KẾ HOẠCH ")
        centred = (
            heading
            or after_heading
            or (_is_upper(line_text) and not re.match(r"^[IVX]+\.", line_text))
            or (line_text.startswith("(") and all(italic for t, _, italic in runs if t.strip()))
            or line_text == "Phụ lục"
        )
        if heading or (_is_upper(line_text) and centred):
            runs = [(t, True, i) for t, _, i in runs]
        para = Para(runs=runs, align="center" if centred else "justify")
        para.space_after = blank_after(last)
        # The plan that a decision issues starts on a new page, after the decision's signature.
        para.page_break_before = (
            heading
            and bool(blocks)
            and isinstance(blocks[-1], Columns)
            and blocks[-1].kind == "signature"
        )
        if line_text == "Phụ lục":
            para.page_break_before = True
        blocks.append(para)
        after_heading = heading and line_text in ("KẾ HOẠCH", "QUYẾT ĐỊNH")
        k += 1
    if grid is not None and grid not in blocks:
        blocks.append(grid)
    return blocks


# --- Word -----------------------------------------------------------------------------------------


def _normalise_zip(data: bytes) -> bytes:
    """The same package with fixed entry dates and fixed dates in docProps/core.xml."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    blob,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, blob)
    return out.getvalue()


def _docx_runs(paragraph, runs: list[Run], size: float | None = None) -> None:
    from docx.shared import Pt

    for text, bold, italic in runs:
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        if size:
            run.font.size = Pt(size)


def _no_borders(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def write_docx(blocks: list[Block], unit: str, path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.15
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    properties = document.core_properties
    properties.author = properties.last_modified_by = unit
    properties.title = ""
    properties.comments = ""
    properties.created = properties.modified = FIXED_DATE
    properties.last_printed = FIXED_DATE
    properties.revision = 1

    align = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
    }
    first = True
    for block in blocks:
        if isinstance(block, Para):
            if block.text == "Phụ lục":
                new = document.add_section(WD_SECTION.NEW_PAGE)
                new.orientation = WD_ORIENT.LANDSCAPE
                new.page_width, new.page_height = Cm(29.7), Cm(21)
                new.left_margin = new.right_margin = Cm(2)
            elif block.page_break_before and not first:
                document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            paragraph = document.add_paragraph()
            paragraph.alignment = align[block.align]
            if block.align == "justify":
                paragraph.paragraph_format.first_line_indent = Cm(1)
            paragraph.paragraph_format.space_after = Pt(6 if block.space_after else 0)
            _docx_runs(paragraph, block.runs)
        elif isinstance(block, Columns):
            table = document.add_table(rows=len(block.rows), cols=2)
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            _no_borders(table)
            widths = (Cm(6.5), Cm(9.5)) if block.kind == "header" else (Cm(8), Cm(8))
            for r, (left, right) in enumerate(block.rows):
                for c, lines in enumerate((left, right)):
                    cell = table.cell(r, c)
                    cell.width = widths[c]
                    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
                    for line in lines or [[]]:
                        paragraph = cell.add_paragraph()
                        left_list = block.kind == "signature" and c == 0
                        paragraph.alignment = (
                            WD_ALIGN_PARAGRAPH.LEFT if left_list else WD_ALIGN_PARAGRAPH.CENTER
                        )
                        _docx_runs(paragraph, line, size=11 if left_list else 13)
            document.add_paragraph()
        else:
            table = document.add_table(rows=0, cols=len(block.rows[0]))
            table.style = document.styles["Table Grid"]
            widths = [Cm(1.2), Cm(8), Cm(4), Cm(4.5), Cm(4), Cm(4)]
            header = block.rows[0]
            for row in block.rows:
                cells = table.add_row().cells
                is_header = row == header
                group = bool(row[0]) and not any(row[1:]) and not row[0][:1].isdigit()
                if group:
                    merged = cells[0].merge(cells[-1])
                    paragraph = merged.paragraphs[0]
                    _docx_runs(paragraph, [(row[0], True, False)], size=12)
                    continue
                for c, text in enumerate(row):
                    cells[c].width = widths[c]
                    paragraph = cells[c].paragraphs[0]
                    if is_header:
                        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    _docx_runs(paragraph, [(text, is_header, False)], size=12)
        first = False
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_normalise_zip(buffer.getvalue()))


# --- PDF ----------------------------------------------------------------------------------------


def _register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVuSerif" in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in (
        ("DejaVuSerif", "DejaVuSerif.ttf"),
        ("DejaVuSerif-Bold", "DejaVuSerif-Bold.ttf"),
        ("DejaVuSerif-Italic", "DejaVuSerif-Italic.ttf"),
        ("DejaVuSerif-BoldItalic", "DejaVuSerif-BoldItalic.ttf"),
        ("DejaVuSans", "DejaVuSans.ttf"),
        ("DejaVuSans-Bold", "DejaVuSans-Bold.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))
    for bold in (0, 1):
        for italic in (0, 1):
            suffix = {(0, 0): "", (1, 0): "-Bold", (0, 1): "-Italic", (1, 1): "-BoldItalic"}
            addMapping("DejaVuSerif", bold, italic, "DejaVuSerif" + suffix[(bold, italic)])


def _markup(runs: list[Run]) -> str:
    out = []
    for text, bold, italic in runs:
        piece = escape(text)
        if italic:
            piece = f"<i>{piece}</i>"
        if bold:
            piece = f"<b>{piece}</b>"
        out.append(piece)
    return "".join(out)


def write_pdf(blocks: list[Block], unit: str, title: str, path: Path) -> None:
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    rl_config.invariant = 1
    rl_config.useA85 = 0  # binary streams: a quarter smaller
    _register_fonts()
    body = ParagraphStyle("body", fontName="DejaVuSerif", fontSize=11.5, leading=15)
    styles = {
        "justify": ParagraphStyle("j", parent=body, alignment=TA_JUSTIFY, firstLineIndent=1 * cm),
        "center": ParagraphStyle("c", parent=body, alignment=TA_CENTER),
        "left": ParagraphStyle("l", parent=body, alignment=TA_LEFT),
    }
    column_style = ParagraphStyle("col", parent=body, alignment=TA_CENTER, fontSize=10.5)
    list_style = ParagraphStyle("list", parent=body, alignment=TA_LEFT, fontSize=10, leading=13)
    cell_style = ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12)
    head_style = ParagraphStyle("head", parent=cell_style, alignment=TA_CENTER)

    def number_pages(canvas, document) -> None:
        if document.page > 1:
            canvas.saveState()
            canvas.setFont("DejaVuSans", 9)
            width, height = canvas._pagesize
            canvas.drawCentredString(width / 2, height - 1.2 * cm, str(document.page))
            canvas.restoreState()

    portrait_size, landscape_size = A4, landscape(A4)
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author=unit,
        creator="CCHC seed fixtures",
        pageCompression=1,
        subject="",
        keywords="",
    )
    portrait_frame = Frame(3 * cm, 2 * cm, portrait_size[0] - 5 * cm, portrait_size[1] - 4 * cm)
    landscape_frame = Frame(
        2 * cm, 1.8 * cm, landscape_size[0] - 4 * cm, landscape_size[1] - 3.6 * cm
    )
    document.addPageTemplates(
        [
            PageTemplate("portrait", [portrait_frame], onPage=number_pages, pagesize=A4),
            PageTemplate(
                "landscape", [landscape_frame], onPage=number_pages, pagesize=landscape_size
            ),
        ]
    )
    text_width = portrait_size[0] - 5 * cm
    story: list = []
    for block in blocks:
        if isinstance(block, Para):
            if block.text == "Phụ lục":
                story += [NextPageTemplate("landscape"), PageBreak()]
            elif block.page_break_before and story:
                story.append(PageBreak())
            story.append(Paragraph(_markup(block.runs), styles[block.align]))
            if block.space_after:
                story.append(Spacer(1, 6))
        elif isinstance(block, Columns):
            widths = (
                (0.4 * text_width, 0.6 * text_width)
                if block.kind == "header"
                else (0.5 * text_width, 0.5 * text_width)
            )
            data = []
            for left, right in block.rows:
                cells = []
                for c, lines in enumerate((left, right)):
                    listed = block.kind == "signature" and c == 0
                    style = list_style if listed else column_style
                    cells.append(
                        [Paragraph(_markup(line) if line else "&nbsp;", style) for line in lines]
                    )
                data.append(cells)
            table = Table(data, colWidths=widths)
            table.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("TOPPADDING", (0, 0), (-1, -1), 0),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                    ]
                )
            )
            story += [table, Spacer(1, 10)]
        else:
            widths_cm = [1.1, 7.8, 3.8, 4.4, 4.0, 4.6]
            header, *rows = block.logical
            data = [[Paragraph(f"<b>{escape(cell)}</b>", head_style) for cell in header]]
            commands: list = [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
            for r, row in enumerate(rows, start=1):
                group = bool(row[0]) and not any(row[1:]) and not row[0][:1].isdigit()
                if group:
                    data.append([Paragraph(f"<b>{escape(row[0])}</b>", cell_style)] + [""] * 5)
                    commands.append(("SPAN", (0, r), (-1, r)))
                    continue
                data.append(
                    [Paragraph(escape(cell).replace("\n", "<br/>"), cell_style) for cell in row]
                )
            table = Table(data, colWidths=[w * cm for w in widths_cm], repeatRows=1)
            table.setStyle(TableStyle(commands))
            story.append(table)
    document.build(story)
    path.write_bytes(buffer.getvalue())


# --- Excel --------------------------------------------------------------------------------------


def write_xlsx(blocks: list[Block], unit: str, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    grid = next(block for block in blocks if isinstance(block, Grid))
    paragraphs = [block for block in blocks if isinstance(block, Para)]
    at = next(i for i, block in enumerate(paragraphs) if block.text == "Phụ lục")
    after = paragraphs[at + 1 :]
    at_note = next(i for i, block in enumerate(after) if block.text.startswith("("))
    note = after[at_note].text
    title = " ".join(block.text for block in after[:at_note])
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục"
    properties = workbook.properties
    properties.creator = properties.lastModifiedBy = unit
    properties.created = properties.modified = FIXED_DATE
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    columns = len(grid.logical[0])
    last = chr(ord("A") + columns - 1)
    sheet["A1"] = squash_spaces(title)
    sheet["A1"].font = Font(name="Times New Roman", size=13, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", wrap_text=True)
    sheet.merge_cells(f"A1:{last}1")
    sheet["A2"] = note
    sheet["A2"].font = Font(name="Times New Roman", size=12, italic=True)
    sheet["A2"].alignment = Alignment(horizontal="center", wrap_text=True)
    sheet.merge_cells(f"A2:{last}2")
    for index, width in enumerate((6, 45, 22, 28, 24, 30)):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    row_number = 4
    for r, row in enumerate(grid.logical):
        group = bool(row[0]) and not any(row[1:]) and not row[0][:1].isdigit() and r
        for c, text in enumerate(row):
            value: object = text
            if c == 0 and text.isdigit():
                value = int(text)  # Excel users type the task number as a number
            cell = sheet.cell(row=row_number, column=c + 1, value=value if text else None)
            cell.border = border
            cell.alignment = Alignment(
                wrap_text=True, vertical="top", horizontal="center" if r == 0 else None
            )
            cell.font = Font(name="Times New Roman", size=12, bold=r == 0 or bool(group))
        if group:
            sheet.merge_cells(f"A{row_number}:{last}{row_number}")
        row_number += 1
    sheet.freeze_panes = "A5"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(_normalise_zip(buffer.getvalue()))


# --- Main ---------------------------------------------------------------------------------------


def main() -> None:
    for source in sorted(SEEDS.glob("[0-9][0-9][0-9]_*.txt")):
        text = source.read_text(encoding="utf-8")
        draft = parse_plan_text(text)
        unit = draft.facts.issuing_body or "UBND"
        blocks = seed_blocks(text)
        grid = next((block for block in blocks if isinstance(block, Grid)), None)
        if grid is not None:  # the spreadsheet rows must read as the txt rows do
            start, end = draft.facts.period_start, draft.facts.period_end
            assert (
                parse_task_table(grid.logical, period_start=start, period_end=end)[:2]
                == (parse_task_table(grid.rows, period_start=start, period_end=end)[:2])
            )
        written = [source.with_suffix(".docx"), source.with_suffix(".pdf")]
        write_docx(blocks, unit, written[0])
        write_pdf(blocks, unit, draft.facts.title, written[1])
        if grid is not None:
            written.append(source.with_suffix(".xlsx"))
            write_xlsx(blocks, unit, written[-1])
        for path in written:
            print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
