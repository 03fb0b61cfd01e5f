"""The one document builder: a wording template plus data, laid out as a Vietnamese
administrative document (Decree 30/2020/NĐ-CP, appendix I).

A template is a Django template (autoescape off), found by key in the database (edited by an
administrator) or else in `<app>/document_templates/<key>.txt`. Once rendered it reads:

    kind: BC-UBND                 → "Số: 12/BC-UBND"
    title: BÁO CÁO
    subtitle: Kết quả ... năm 2026
    note: (Số liệu tính đến ngày 31/3/2026)  (optional, italic under the subtitle)
    to: Sở Nội vụ thành phố Hải Phòng        (optional, "Kính gửi")
    recipients:
    - Sở Nội vụ;
    - Lưu: VT, VHXH.
    ---
    # I. HEADING          level 1, bold
    ## 1. Heading         level 2, bold
    ### a) Heading        level 3, bold italic
    - item                dash paragraph
    | a | b |             table rows (the first row is the header)
    Any other line        a justified paragraph

Every template may use, without loading anything, the filters `count` ("02 nhiệm vụ"), `day`
("31/3/2026"), `number` ("1.500,5") and `lowerfirst`, and the tag
`{% joined ", " %}…{% endjoined %}`, which joins the lines of its body that are not blank (so a
sentence drops the clauses that have nothing to say).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.template import Context, Engine, Library, Node, TemplateSyntaxError
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from core.numbers import format_count, format_number
from org.models import Unit

FONT = "Times New Roman"
BODY_PT = 14
TEXT_WIDTH_CM = 16.5  # A4 less the 30 mm and 15 mm side margins

HEADER_KEYS = ("kind", "title", "subtitle", "note", "to")

# -- what every wording template may use ------------------------------------------------------

register = Library()


@register.filter(name="count")
def count_filter(value) -> str:
    """3 -> "03", 12 -> "12": a count as documents write it."""
    try:
        return format_count(int(value))
    except (TypeError, ValueError):
        return ""


def _month(day: date) -> str:
    # Decree 30/2020, appendix I: a day under ten and the months 1 and 2 take a leading zero.
    return f"{day.month:02d}" if day.month < 3 else str(day.month)


def document_day(day: date | None) -> str:
    """A date as documents write it in the text: "09/3/2026", "15/01/2026"."""
    if not isinstance(day, date):
        return ""
    return f"{day.day:02d}/{_month(day)}/{day.year}"


@register.filter(name="day")
def day_filter(value) -> str:
    return document_day(value)


@register.filter(name="number")
def number_filter(value) -> str:
    return format_number(value)


@register.filter(name="lowerfirst")
def lowerfirst_filter(value) -> str:
    text = str(value or "")
    return text[:1].lower() + text[1:]


class _JoinedNode(Node):
    def __init__(self, nodelist, separator) -> None:
        self.nodelist, self.separator = nodelist, separator

    def render(self, context) -> str:
        separator = self.separator.resolve(context) if self.separator is not None else ", "
        lines = (line.strip() for line in self.nodelist.render(context).splitlines())
        return str(separator).join(line for line in lines if line)


@register.tag(name="joined")
def joined_tag(parser, token) -> _JoinedNode:
    """{% joined "; " %} one clause per line {% endjoined %}: the clauses that are not blank,
    joined by the separator (", " when none is given)."""
    bits = token.split_contents()
    if len(bits) > 2:
        raise TemplateSyntaxError("joined takes at most one separator")
    separator = parser.compile_filter(bits[1]) if len(bits) == 2 else None
    nodelist = parser.parse(("endjoined",))
    parser.delete_first_token()
    return _JoinedNode(nodelist, separator)


_ENGINE = Engine(
    autoescape=False,
    libraries={"i18n": "django.templatetags.i18n"},
    builtins=["reports.builder"],
)


@dataclass(frozen=True)
class Signer:
    """Who signs and in what capacity ("TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" …)."""

    capacity: str = "TM. ỦY BAN NHÂN DÂN"
    title: str = "CHỦ TỊCH"
    name: str = ""


@dataclass
class Block:
    kind: str  # h1, h2, h3, item, paragraph, table
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class DocumentSpec:
    kind: str = ""
    title: str = ""
    subtitle: str = ""
    note: str = ""
    to: str = ""
    recipients: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


# -- templates ------------------------------------------------------------------------------


def default_template_path(key: str) -> Path | None:
    for config in apps.get_app_configs():
        path = Path(config.path) / "document_templates" / f"{key}.txt"
        if path.is_file():
            return path
    return None


def default_template_text(key: str) -> str:
    path = default_template_path(key)
    if path is None:
        raise ValidationError(_("There is no document template “%(key)s”.") % {"key": key})
    return path.read_text(encoding="utf-8")


def template_text(key: str) -> str:
    """The administrator's wording when there is one, else the default shipped with the app."""
    from reports.models import DocumentTemplate

    override = DocumentTemplate.objects.filter(key=key).values_list("text", flat=True).first()
    return override or default_template_text(key)


def render_text(text: str, context: dict[str, Any]) -> str:
    try:
        return _ENGINE.from_string(text).render(Context(context, autoescape=False))
    except TemplateSyntaxError as exc:
        raise ValidationError(
            _("The document template has an error: %(error)s") % {"error": exc}
        ) from exc


def parse(rendered: str) -> DocumentSpec:
    """Split a rendered template into its header fields and body blocks."""
    head, separator, body = rendered.partition("\n---\n")
    if not separator:
        head, body = "", rendered
    spec = DocumentSpec()
    in_recipients = False
    for raw in head.splitlines():
        line = raw.strip()
        if not line:
            continue
        if in_recipients and line.startswith("-"):
            spec.recipients.append(line[1:].strip())
            continue
        name, colon, value = line.partition(":")
        name = name.strip().lower()
        if colon and name == "recipients":
            in_recipients = True
        elif colon and name in HEADER_KEYS:
            in_recipients = False
            setattr(spec, name, value.strip())
    spec.blocks = parse_body(body)
    return spec


def parse_body(body: str) -> list[Block]:
    blocks: list[Block] = []
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if blocks and blocks[-1].kind == "table":
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Block("table", rows=[cells]))
        elif line.startswith("### "):
            blocks.append(Block("h3", line[4:].strip()))
        elif line.startswith("## "):
            blocks.append(Block("h2", line[3:].strip()))
        elif line.startswith("# "):
            blocks.append(Block("h1", line[2:].strip()))
        elif line.startswith("- "):
            blocks.append(Block("item", line[2:].strip()))
        else:
            blocks.append(Block("paragraph", line))
    return blocks


# -- layout ---------------------------------------------------------------------------------


def _set_font(run, size: float, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _paragraph(
    container,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    before: float = 0,
    after: float = 0,
    indent_cm: float | None = None,
) -> Paragraph:
    if isinstance(container, _Cell) and len(container.paragraphs) == 1 and not container.text:
        paragraph = container.paragraphs[0]
    else:
        paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = 1.0
    if indent_cm is not None:
        fmt.first_line_indent = Cm(indent_cm)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        _set_font(run, size, bold, italic)
        if i < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)
    return paragraph


def _short_rule(container, width_cm: float, column_cm: float) -> None:
    """A centred horizontal line under a heading: an empty paragraph with a top border."""
    paragraph = _paragraph(container, size=2, before=2)
    side = Cm(max((column_cm - width_cm) / 2, 0))
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for attr, value in (
        ("w:val", "single"),
        ("w:sz", "6"),
        ("w:space", "1"),
        ("w:color", "000000"),
    ):
        top.set(qn(attr), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().append(borders)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths that Word and LibreOffice both honour (grid, layout and cells)."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths_cm, strict=False):
        column.w = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def _page_number_header(section) -> None:
    """Page numbers centred in the header from the second page, as the decree asks."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    _set_font(run, 13)
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), tag)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def letterhead_names(unit: Unit) -> tuple[str, str]:
    """The issuing body's two lines: "ỦY BAN NHÂN DÂN" and e.g. "PHƯỜNG THÀNH ĐÔNG"."""
    return "ỦY BAN NHÂN DÂN", unit.full_name.upper()


def date_line(place: str, day: date | None) -> str:
    """ "Thành Đông, ngày 09 tháng 3 năm 2026": a day under ten and the months January and
    February with a leading zero (Decree 30/2020, appendix I)."""
    if day is None:
        return f"{place}, ngày     tháng     năm"
    return f"{place}, ngày {day.day:02d} tháng {_month(day)} năm {day.year}"


def layout(
    spec: DocumentSpec,
    *,
    unit: Unit,
    issued_on: date | None = None,
    signer: Signer | None = None,
    number: str = "",
    draft_notes: list[str] | None = None,
    letterhead: tuple[str, str] | None = None,
) -> bytes:
    """Lay `spec` out on A4 in the administrative layout and return the .docx bytes;
    `letterhead` replaces the unit's two lines when another body of it issues the document
    ("UBND THÀNH PHỐ HẢI PHÒNG" / "SỞ NỘI VỤ")."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    _page_number_header(section)
    document.core_properties.title = " ".join(filter(None, [spec.title, spec.subtitle]))
    document.core_properties.author = unit.full_name
    document.core_properties.language = "vi-VN"

    if draft_notes is not None:
        _paragraph(document, "DỰ THẢO", size=13, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        for note in draft_notes:
            _paragraph(document, note, size=12, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    left_cm, right_cm = 6.3, TEXT_WIDTH_CM - 6.3
    head = document.add_table(rows=2, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(head)
    _widths(head, [left_cm, right_cm])
    body_name, unit_name = letterhead or letterhead_names(unit)
    cell = head.cell(0, 0)
    _paragraph(cell, f"{body_name}\n{unit_name}", size=13, bold=True)
    _short_rule(cell, 2.2, left_cm)
    cell = head.cell(0, 1)
    _paragraph(cell, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12.5, bold=True)
    _paragraph(cell, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True)
    _short_rule(cell, 5.9, right_cm)
    kind = f"/{spec.kind}" if spec.kind else ""
    _paragraph(head.cell(1, 0), f"Số: {number or '      '}{kind}", size=13, before=6)
    _paragraph(head.cell(1, 1), date_line(unit.name, issued_on), size=14, italic=True, before=6)

    _paragraph(document, spec.title, bold=True, before=18)
    if spec.subtitle:
        _paragraph(document, spec.subtitle, bold=True)
    if spec.note:
        _paragraph(document, spec.note, italic=True)
    _short_rule(document, 4.0, TEXT_WIDTH_CM)
    if spec.to:
        _paragraph(document, f"Kính gửi: {spec.to}", before=6, after=6)
    else:
        _paragraph(document, size=6)

    for block in spec.blocks:
        _block(document, block)

    _closing(document, spec.recipients, signer or Signer())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _block(document, block: Block) -> None:
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    if block.kind == "table":
        _table(document, block.rows)
        return
    style = {
        "h1": {"bold": True},
        "h2": {"bold": True},
        "h3": {"bold": True, "italic": True},
        "item": {},
        "paragraph": {},
    }[block.kind]
    text = f"- {block.text}" if block.kind == "item" else block.text
    paragraph = _paragraph(document, text, align=justify, before=3, after=3, indent_cm=1.0, **style)
    # A heading never ends a page alone.
    paragraph.paragraph_format.keep_with_next = block.kind in ("h1", "h2", "h3")


def column_widths(rows: list[list[str]], total_cm: float = TEXT_WIDTH_CM) -> list[float]:
    """Widths by how much each column holds (a "TT" column stays narrow, content gets room),
    never narrower than the column's longest word."""
    columns = max(len(r) for r in rows)
    body = [r for r in rows[1:] if not _is_group_row(r)] or rows
    weights, floors = [], []
    for c in range(columns):
        lengths = [len(r[c]) for r in body if c < len(r)]
        mean = sum(lengths) / len(lengths) if lengths else 0
        weights.append(math.sqrt(mean + 4))
        words = [len(w) for r in rows if c < len(r) for w in r[c].split()]
        floors.append(min(max(words, default=2) * 0.21 + 0.4, 4.0))
    total = sum(weights)
    widths = [max(total_cm * w / total, floor) for w, floor in zip(weights, floors, strict=True)]
    scale = total_cm / sum(widths)
    return [w * scale for w in widths]


def _is_group_row(row: list[str]) -> bool:
    """ "| I | Cải cách thể chế | | |": a heading row spanning the table."""
    return len(row) > 2 and bool(row[1]) and not any(row[2:])


def _table(document, rows: list[list[str]]) -> None:
    columns = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=columns)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, column_widths(rows))
    for r, row in enumerate(rows):
        cells = [row[c] if c < len(row) else "" for c in range(columns)]
        if r and _is_group_row(cells):
            _paragraph(table.cell(r, 0), cells[0], size=12, bold=True)
            merged = table.cell(r, 1).merge(table.cell(r, columns - 1))
            _paragraph(merged, cells[1], size=12, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
            continue
        # The row's own cells: `table.cell` walks the whole table each time (a ranking of 170
        # communes took seconds).
        row_cells = [_Cell(tc, table) for tc in table.rows[r]._tr.tc_lst]
        for c, text in enumerate(cells):
            align = WD_ALIGN_PARAGRAPH.CENTER if r == 0 or len(text) < 12 else None
            _paragraph(row_cells[c], text, size=12, bold=r == 0, align=align)
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    _paragraph(document, size=6)


def _closing(document, recipients: list[str], signer: Signer) -> None:
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    # The recipients and the signature stay together on one page.
    keep = OxmlElement("w:cantSplit")
    keep.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(keep)
    _widths(table, [7.5, TEXT_WIDTH_CM - 7.5])
    cell = table.cell(0, 0)
    _paragraph(cell, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in recipients:
        _paragraph(cell, f"- {line}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    cell = table.cell(0, 1)
    capacity = "\n".join(filter(None, [signer.capacity, signer.title]))
    _paragraph(cell, capacity, size=14, bold=True)
    _paragraph(cell, "\n\n\n", size=14)
    _paragraph(cell, signer.name, size=14, bold=True)


def build_document(
    key: str,
    context: dict[str, Any],
    *,
    unit: Unit,
    issued_on: date | None = None,
    signer: Signer | None = None,
    number: str = "",
    draft_notes: list[str] | None = None,
    letterhead: tuple[str, str] | None = None,
) -> bytes:
    """Render template `key` with `context` and lay it out; `draft_notes` marks a draft."""
    with translation.override("vi"):
        spec = parse(render_text(template_text(key), {"unit": unit, **context}))
        return layout(
            spec,
            unit=unit,
            issued_on=issued_on,
            signer=signer,
            number=number,
            draft_notes=draft_notes,
            letterhead=letterhead,
        )
