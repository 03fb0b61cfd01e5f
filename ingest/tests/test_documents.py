"""Reading plans from Word, PDF and Excel: each seed's .docx/.pdf (and 001's .xlsx) gives the
draft its .txt gives; bad files are refused with a message; mangled files never crash."""

from __future__ import annotations

import io
import json
import os
import subprocess
import time
import zipfile
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.files import UploadRejected
from core.sheets import rows_xlsx
from core.text import squash_spaces
from ingest import documents
from ingest.documents import Paragraph, ReadDocument, Table, read_document, read_plan
from ingest.plan_text import PlanDraft, parse_plan_blocks, parse_plan_text

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
PREFIXES = ("000", "001", "002", "003")

PASSWORD = (
    "The document is protected by a password; save a copy without a password and upload it again."
)
DAMAGED = "The document cannot be read: it may be damaged."
NOT_A_PLAN = "This document does not look like a plan: no reform area, task or target was found."
SCAN = "The PDF has no text layer (it is a scan)."


def seed_path(prefix: str, extension: str) -> Path:
    (text,) = SEEDS.glob(f"{prefix}_*.txt")
    return text.with_suffix(extension)


@cache
def read(prefix: str, extension: str) -> tuple[ReadDocument, PlanDraft]:
    path = seed_path(prefix, extension)
    with path.open("rb") as stream:
        return read_plan(path.name, stream)


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked as written; their Vietnamese is the translators' work."""
    with translation.override("en"):
        yield


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(UploadRejected) as refused:
        read_plan(name, io.BytesIO(data))
    return str(refused.value)


# --- Same draft from every format ---------------------------------------------------------------


def _squashed(value: Any) -> Any:
    if isinstance(value, str):
        return squash_spaces(value)
    if isinstance(value, list | tuple):
        return type(value)(_squashed(item) for item in value)
    if isinstance(value, dict):
        return {key: _squashed(item) for key, item in value.items()}
    return value


FACTS = (
    "kind",
    "plan_kind",
    "number",
    "number_suffix",
    "place",
    "issued_on",
    "issued_month",
    "issued_year",
    "issuing_body",
    "unit_kind",
    "unit_name",
    "title",
    "signer",
    "signing_capacity",
    "period_start",
    "period_end",
    "implements",
    "recipients",
)


def task_fields(draft: PlanDraft) -> list[tuple[Any, ...]]:
    return [
        (
            task.area_code,
            task.number,
            task.content,
            task.lead,
            task.coordinators,
            task.deadline_text,
            task.product,
        )
        for task in draft.tasks
    ]


def projection(draft: PlanDraft) -> dict[str, Any]:
    """What the review shows of a draft: facts, areas, targets, tasks, duties, events."""
    return {
        "facts": {name: getattr(draft.facts, name) for name in FACTS},
        "areas": [(area.order, area.code, area.name) for area in draft.areas],
        "targets": [
            (t.area_code, t.code, t.text, t.parsed, t.monitoring, t.implementing)
            for t in draft.targets
        ],
        "tasks": task_fields(draft),
        "task_details": [(t.group, t.source, t.deadline, t.warnings) for t in draft.tasks],
        "duties": [(duty.department, duty.duties) for duty in draft.duties],
        "events": draft.events,
        "warnings": draft.warnings,
    }


@pytest.mark.parametrize("prefix", PREFIXES)
def test_word_document_reads_like_its_text(prefix):
    expected = projection(read(prefix, ".txt")[1])
    found = projection(read(prefix, ".docx")[1])
    for key in expected:
        assert found[key] == expected[key], key


@pytest.mark.parametrize("prefix", PREFIXES)
def test_pdf_reads_like_its_text_but_for_spacing(prefix):
    expected = projection(read(prefix, ".txt")[1])
    found = projection(read(prefix, ".pdf")[1])
    for key in expected:
        assert _squashed(found[key]) == _squashed(expected[key]), key


def test_seed_drafts_are_not_empty():
    """The comparisons above compare something: every seed has facts, areas and tasks."""
    for prefix in PREFIXES:
        draft = read(prefix, ".txt")[1]
        assert draft.facts.title and draft.facts.period_start and draft.facts.signer
        assert (draft.areas and draft.tasks) or draft.duties
    assert len(read("001", ".txt")[1].tasks) == 33
    assert read("001", ".txt")[1].tasks[0].source == "table"


def test_spreadsheet_appendix_gives_the_same_areas_and_tasks():
    document, draft = read("001", ".xlsx")
    expected = read("001", ".txt")[1]
    assert document.kind == "xlsx"
    # The lines above the table are the sheet's text, the table follows.
    title, attached, table = document.blocks
    assert title.text.startswith("DANH MỤC NHIỆM VỤ") and attached.text.startswith("(Kèm theo")
    assert table.rows[0][:2] == ("TT", "Nội dung công việc")
    assert [(a.code, a.name) for a in draft.areas] == [(a.code, a.name) for a in expected.areas]
    assert task_fields(draft) == task_fields(expected)
    # Its heading names the year, so recurring deadlines are dated as in the plan itself.
    assert (draft.facts.period_start, draft.facts.period_end) == (
        expected.facts.period_start,
        expected.facts.period_end,
    )
    recurring = [t for t in draft.tasks if t.deadline_text.startswith("Trước ngày 10")]
    assert recurring and all(m.due for t in recurring for m in t.deadline.milestones)


# --- What the readers give ----------------------------------------------------------------------


def test_word_header_and_signature_are_tables_read_as_text():
    document, draft = read("001", ".docx")
    assert document.kind == "docx"
    header = document.blocks[0]
    assert isinstance(header, Table)
    assert header.rows[0] == (
        "ỦY BAN NHÂN DÂN\nPHƯỜNG THÀNH ĐÔNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
    )
    assert header.rows[1] == ("Số: 16/QĐ-UBND", "Thành Đông, ngày 14 tháng 01 năm 2026")
    assert draft.facts.number == "16/QĐ-UBND" and draft.facts.place == "Thành Đông"
    assert draft.facts.issued_on == date(2026, 1, 14)
    signature = next(
        b for b in document.blocks if isinstance(b, Table) and "Nơi nhận" in b.rows[0][0]
    )
    assert signature.rows[0][1] == "CHỦ TỊCH\nNguyễn Tuấn Ngọc"
    assert draft.facts.signer == "Nguyễn Tuấn Ngọc"


def test_word_appendix_is_one_table_with_the_rows_of_the_text():
    document, _ = read("001", ".docx")
    text = seed_path("001", ".txt").read_text(encoding="utf-8")
    rows = [tuple(line.split("\t")) for line in text.splitlines() if "\t" in line]
    appendix = [b for b in document.blocks if isinstance(b, Table) and b.rows[0][0] == "TT"]
    assert len(appendix) == 1
    found = appendix[0].rows
    assert len(found) == len(rows) == 51
    for got, want in zip(found, rows, strict=True):
        if any(want[1:]):
            assert got == tuple(cell.strip() for cell in want)
        else:  # a group row: one cell merged across the table
            assert got == (want[0],)


def test_pdf_appendix_over_pages_is_one_table():
    document, draft = read("001", ".pdf")
    assert document.kind == "pdf" and document.pages == 13
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert len(tables) == 1
    rows = tables[0].rows
    assert rows[0][:3] == ("TT", "Nội dung công việc", "Cơ quan chủ trì")
    assert sum(row[0] == "TT" for row in rows) > 1  # the header repeated on every page
    assert len(draft.tasks) == 33
    # The motto and the unit name stand side by side: read left column first.
    texts = [b.text for b in document.blocks[:6] if isinstance(b, Paragraph)]
    assert texts[:3] == ["ỦY BAN NHÂN DÂN", "PHƯỜNG THÀNH ĐÔNG", "Số: 16/QĐ-UBND"]
    assert texts[-1] == "Thành Đông, ngày 14 tháng 01 năm 2026"


def _dejavu() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVuSerif" not in pdfmetrics.getRegisteredFontNames():
        font = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
        pdfmetrics.registerFont(TTFont("DejaVuSerif", font))
    return "DejaVuSerif"


def test_pdf_header_in_two_columns_is_read_column_by_column():
    def draw(page):
        page.setFont(_dejavu(), 12)
        for y, left, right in (
            (800, "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            (785, "XÃ AN PHÚ", "Độc lập - Tự do - Hạnh phúc"),
            (760, "Số: 05/KH-UBND", "An Phú, ngày      tháng 3 năm 2026"),
        ):
            page.drawCentredString(150, y, left)
            page.drawCentredString(400, y, right)
        page.drawCentredString(297, 720, "KẾ HOẠCH")
        page.drawCentredString(297, 705, "Cải cách hành chính năm 2026")
        page.drawString(90, 680, "I. MỤC ĐÍCH, YÊU CẦU")

    document, draft = read_plan("an-phu.pdf", io.BytesIO(_pdf(draw)))
    assert [block.text for block in document.blocks] == [
        "ỦY BAN NHÂN DÂN",
        "XÃ AN PHÚ",
        "Số: 05/KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "An Phú, ngày tháng 3 năm 2026",
        "KẾ HOẠCH",
        "Cải cách hành chính năm 2026",
        "I. MỤC ĐÍCH, YÊU CẦU",
    ]
    facts = draft.facts
    assert (facts.number, facts.place, facts.issued_month, facts.issued_year) == (
        "05/KH-UBND",
        "An Phú",
        3,
        2026,
    )
    assert facts.title == "Kế hoạch Cải cách hành chính năm 2026"


def test_pdf_lines_wrapped_on_the_page_are_joined():
    document, _ = read("001", ".pdf")
    texts = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert (
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021 của Chính phủ ban hành Chương "
        "trình tổng thể cải cách hành chính nhà nước giai đoạn 2021-2030;"
    ) in texts
    assert not any(text.strip().isdigit() for text in texts)  # page numbers dropped


def test_text_of_a_document_shows_tables_as_tab_separated_lines():
    document = ReadDocument(
        "x.docx", "docx", [Paragraph("KẾ HOẠCH"), Table((("TT", "Nội dung\ncông việc"),))]
    )
    assert document.text == "KẾ HOẠCH\nTT\tNội dung công việc"


def _docx(build) -> bytes:
    from docx import Document

    document = Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_merged_cells_are_read_once():
    def build(document):
        table = document.add_table(rows=3, cols=3)
        table.cell(0, 0).merge(table.cell(0, 2)).text = "I. Cải cách thể chế"
        table.cell(1, 0).text = "1"
        table.cell(1, 1).merge(table.cell(2, 1)).text = "Phòng Tư pháp"
        table.cell(1, 2).text = "Quý I/2026"
        table.cell(2, 0).text = "2"
        table.cell(2, 2).text = "Quý II/2026"

    document = read_document("merged.docx", io.BytesIO(_docx(build)))
    (table,) = document.blocks
    assert table.rows == (
        ("I. Cải cách thể chế",),
        ("1", "Phòng Tư pháp", "Quý I/2026"),
        ("2", "", "Quý II/2026"),
    )


def test_word_automatic_numbering_is_written_out():
    def build(document):
        document.add_paragraph("Công tác chỉ đạo, điều hành", style="List Number")
        document.add_paragraph("Ban hành kế hoạch CCHC năm 2026.", style="List Bullet")
        document.add_paragraph("Cải cách thể chế", style="List Number")

    document = read_document("numbered.docx", io.BytesIO(_docx(build)))
    assert [block.text for block in document.blocks] == [
        "1. Công tác chỉ đạo, điều hành",
        "- Ban hành kế hoạch CCHC năm 2026.",
        "2. Cải cách thể chế",
    ]


def test_word_content_controls_and_tracked_changes():
    from docx.oxml import parse_xml

    namespace = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def build(document):
        body = document.element.body
        body.insert(
            0,
            parse_xml(
                f"<w:sdt {namespace}><w:sdtContent><w:p><w:r><w:t>KẾ HOẠCH</w:t></w:r></w:p>"
                "</w:sdtContent></w:sdt>"
            ),
        )
        body.insert(
            1,
            parse_xml(
                f"<w:p {namespace}><w:r><w:t>Cải cách hành chính </w:t></w:r>"
                "<w:del><w:r><w:delText>quý I </w:delText></w:r></w:del>"
                "<w:ins><w:r><w:t>năm 2026</w:t></w:r></w:ins></w:p>"
            ),
        )

    document = read_document("sdt.docx", io.BytesIO(_docx(build)))
    assert [block.text for block in document.blocks] == [
        "KẾ HOẠCH",
        "Cải cách hành chính năm 2026",
    ]


def test_word_paragraph_laid_out_with_tabs_gives_both_columns():
    def build(document):
        document.add_paragraph("Số: 12/KH-UBND\t\tPhú Lộc, ngày 05 tháng 02 năm 2026")
        document.add_paragraph("KẾ HOẠCH")
        document.add_paragraph("Cải cách hành chính năm 2026")
        document.add_paragraph("I.\tMỤC ĐÍCH, YÊU CẦU")

    draft = read_plan("tabs.docx", io.BytesIO(_docx(build)))[1]
    assert draft.facts.number == "12/KH-UBND"
    assert draft.facts.place == "Phú Lộc" and draft.facts.issued_on == date(2026, 2, 5)
    assert draft.facts.title == "Kế hoạch Cải cách hành chính năm 2026"


def test_blocks_keep_multi_line_cells_of_a_task_table():
    rows = [
        ("TT", "Nội dung", "Chủ trì", "Phối hợp", "Thời gian hoàn thành", "Sản phẩm"),
        ("I. Cải cách thủ tục hành chính", "", "", "", "", ""),
        (
            "1",
            "Rà soát TTHC",
            "Trung tâm Phục vụ hành chính công",
            "Phòng Văn hóa - Xã hội\nCông an xã",
            "- Quý I/2026\n- Báo cáo tháng 12/2026",
            "Báo cáo",
        ),
    ]
    blocks = [
        Table((("ỦY BAN NHÂN DÂN\nXÃ AN PHÚ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),)),
        Paragraph("KẾ HOẠCH"),
        Paragraph("Cải cách hành chính năm 2026"),
        Table(tuple(rows)),
    ]
    draft = parse_plan_blocks(blocks)
    (task,) = draft.tasks
    assert task.coordinators == ["Phòng Văn hóa - Xã hội", "Công an xã"]
    assert task.deadline_text == "- Quý I/2026\n- Báo cáo tháng 12/2026"
    assert len(task.deadline.milestones) == 2
    assert [(a.code, a.name) for a in draft.areas] == [("I", "Cải cách thủ tục hành chính")]
    assert draft.facts.period_start == date(2026, 1, 1)


@given(
    st.lists(
        st.one_of(
            st.text(max_size=80).map(Paragraph),
            st.lists(st.lists(st.text(max_size=20), max_size=6).map(tuple), max_size=6)
            .map(tuple)
            .map(Table),
            st.text(max_size=40),
            st.none(),
            st.integers(),
        ),
        max_size=12,
    )
)
@hypothesis_settings(max_examples=150, deadline=None)
def test_parse_plan_blocks_never_raises(blocks):
    assert isinstance(parse_plan_blocks(blocks), PlanDraft)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_text_documents_are_read_as_before(prefix):
    text = seed_path(prefix, ".txt").read_text(encoding="utf-8")
    document, draft = read(prefix, ".txt")
    assert document.kind == "txt" and document.text == "\n".join(text.splitlines())
    assert projection(draft) == projection(parse_plan_text(text))


# --- Refused files ------------------------------------------------------------------------------


def test_password_protected_word_file_is_refused_as_such():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8
    assert refusal("ke-hoach.docx", ole) == PASSWORD
    packaged = ole + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512
    assert refusal("ke-hoach.docx", packaged) == PASSWORD
    assert refusal("ke-hoach.xlsx", packaged) == PASSWORD


def test_old_word_file_named_docx_is_refused_with_its_own_message():
    legacy = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\0" * 600
    assert "old Word document (.doc)" in refusal("ke-hoach.docx", legacy)


def test_truncated_word_file_is_refused():
    data = seed_path("001", ".docx").read_bytes()
    assert refusal("ke-hoach.docx", data[: len(data) // 2]) == (
        "The file is damaged or is not a real docx file."
    )


def test_word_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * 30_000_000)
    assert refusal("ke-hoach.docx", buffer.getvalue()) == (
        "The file unpacks to an abnormal size and was refused."
    )


def test_zip_with_broken_word_xml_is_refused_as_damaged():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types>")
        archive.writestr("word/document.xml", "<w:document><w:body>")
    assert refusal("ke-hoach.docx", buffer.getvalue()) == DAMAGED


def _pdf(draw, **options) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, **options)
    draw(page)
    page.showPage()
    page.save()
    return buffer.getvalue()


def test_pdf_without_text_is_refused_as_a_scan(monkeypatch):
    monkeypatch.setattr(documents, "_tesseract_has_vietnamese", lambda: False)
    data = _pdf(lambda page: (page.rect(72, 72, 300, 400, fill=1), page.line(72, 500, 400, 500)))
    message = refusal("ke-hoach.pdf", data)
    assert message.startswith(SCAN)


def test_scan_is_refused_when_tesseract_fails(monkeypatch):
    def tesseract(command, **options):
        raise subprocess.TimeoutExpired(command, 60)

    monkeypatch.setattr(documents, "_tesseract_has_vietnamese", lambda: True)
    monkeypatch.setattr(documents.subprocess, "run", tesseract)
    data = _pdf(lambda page: page.rect(72, 72, 300, 400, fill=1))
    assert refusal("scan.pdf", data).startswith(SCAN)


# OCR tests run wherever tesseract is; in CI it must be (.ci/run installs it), so they fail there
# rather than skip.
needs_tesseract = pytest.mark.skipif(
    not os.environ.get("CI") and not documents._tesseract_has_vietnamese(),
    reason="tesseract with Vietnamese is not installed",
)
HARD = Path(__file__).resolve().parents[2] / "fixtures" / "hard"


@needs_tesseract
def test_scanned_pdf_is_read_with_tesseract_page_by_page():
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 48)
    pages = []
    for text in ("KẾ HOẠCH\nCải cách hành chính năm 2026", "I. MỤC ĐÍCH, YÊU CẦU"):
        image = Image.new("L", (1654, 600), 255)
        ImageDraw.Draw(image).text((100, 100), text, font=font)
        pages.append(image)
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", resolution=200, save_all=True, append_images=pages[1:])
    told: list[tuple[int, int]] = []
    document = read_document(
        "scan.pdf", io.BytesIO(buffer.getvalue()), lambda read, pages: told.append((read, pages))
    )
    assert "HOẠCH" in document.text and "MỤC ĐÍCH" in document.text
    assert document.scanned
    assert told == [(0, 2), (1, 2), (2, 2)]


@needs_tesseract
def test_scanned_table_keeps_its_columns_and_rows():
    """A scanned appendix (200 dpi, skewed by 0.6°, blurred): its ruled table is read as a
    table, the two-row header and the rows cut by the page break included, in < 6 s a page."""
    path = HARD / "003_thanh_sen_ke_hoach_kiem_tra_cchc_2026_scan.pdf"
    started = time.perf_counter()
    document, draft = read_plan(path.name, io.BytesIO(path.read_bytes()))
    seconds = time.perf_counter() - started
    assert document.pages == 2 and seconds < 2 * 6
    tables = [block for block in document.blocks if isinstance(block, Table)]
    assert tables and len(tables[0].rows[0]) == 6
    assert [area.code for area in draft.areas] == ["I", "II"]
    assert [task.area_code for task in draft.tasks] == ["I"] * 7 + ["II"]
    cut = next(task for task in draft.tasks if task.content.startswith("Kết quả khắc phục"))
    assert "chỉ ra" in cut.content  # the rest of the row, after the repeated header
    sub = [task for task in draft.tasks if task.group]
    assert len(sub) == 2 and sub[0].group == "Thực hiện các nội dung sau"


@needs_tesseract
def test_pages_scanned_sideways_or_upside_down_are_turned_upright():
    """A landscape appendix scanned sideways, a sheet fed upside down: each page is turned the
    right way up before it is read, and the plan reads as the upright scan does."""
    import pypdfium2 as pdfium

    path = HARD / "003_thanh_sen_ke_hoach_kiem_tra_cchc_2026_scan.pdf"
    scan = pdfium.PdfDocument(path.read_bytes())
    pages = [page.render(scale=200 / 72, grayscale=True).to_pil() for page in scan]
    scan.close()
    turned = [pages[0].rotate(90, expand=True), pages[1].rotate(180)]
    buffer = io.BytesIO()
    turned[0].save(buffer, format="PDF", resolution=200, save_all=True, append_images=turned[1:])
    _document, draft = read_plan("sideways.pdf", io.BytesIO(buffer.getvalue()))
    assert [area.code for area in draft.areas] == ["I", "II"]
    assert [task.area_code for task in draft.tasks] == ["I"] * 7 + ["II"]


@needs_tesseract
def test_a_poor_copy_of_a_scan_is_read_like_the_scan():
    """Grey ink, a 1.4° tilt, blur and dust specks (a photocopy of a photocopy): the page is
    levelled and cleaned first, the repeated header is known again though misread, and the
    area heading whose rules were lost goes back into its table."""
    path = HARD / "001_thanh_dong_ke_hoach_cchc_2026_pale_scan.pdf"
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    _document, draft = read_plan(path.name, io.BytesIO(path.read_bytes()))
    assert [area.code for area in draft.areas] == ["I", "II"]
    assert [task.area_code for task in draft.tasks] == [t["area"] for t in expected["tasks"]]
    assert [task.number for task in draft.tasks if task.number][:3] == ["1", "2", "3"]
    assert len(draft.targets) == len(expected["targets"])


@needs_tesseract
def test_a_quarter_in_roman_numerals_keeps_all_its_strokes():
    """Tesseract reads "Quý III, IV/2026" in this scan as "Quý II, IV/2026": the ones are
    counted again on the image, so the task is due at the end of the third quarter."""
    path = HARD / "001_thanh_dong_ke_hoach_cchc_2026_scan.pdf"
    _document, draft = read_plan(path.name, io.BytesIO(path.read_bytes()))
    task = next(t for t in draft.tasks if t.content.startswith("Xây dựng Kế hoạch, ban hành"))
    assert task.deadline_text == "Quý III, IV/2026"


def test_a_body_read_differently_from_row_to_row_takes_its_commonest_spelling():
    from types import SimpleNamespace

    from ingest.plan_text import parse_task_table

    rows = [
        ["TT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"],
        ["1", "Việc một", "Phòng Văn hóa - Xã hội", "Trung tâm Dịch vụ sự nghiệp công", "Quý I"],
        ["2", "Việc hai", "Phòng Văn hóa Xã hội", "Trung tâm Dịch vụsự nghiệp công", "Quý II"],
        ["3", "Việc ba", "Phòng Văn hóa - Xã hội", "Trung tâm Dịch vụ sự nghiệp công", "Quý III"],
        ["4", "Việc bốn", "Phòng Văn hóa – Xã hội", "Các phòng chuyên môn", "Quý IV"],
    ]
    draft = SimpleNamespace(tasks=parse_task_table(rows)[1], targets=[])
    documents.agree_names(draft)
    assert [t.lead for t in draft.tasks] == [
        "Phòng Văn hóa - Xã hội",
        "Phòng Văn hóa - Xã hội",
        "Phòng Văn hóa - Xã hội",
        "Phòng Văn hóa – Xã hội",  # a longer dash is as written, not misread
    ]
    assert {t.coordinators[0] for t in draft.tasks[:3]} == {"Trung tâm Dịch vụ sự nghiệp công"}


def test_roman_ones_are_counted_on_the_image():
    from PIL import Image, ImageDraw, ImageFont

    from ingest.ocr import OcrWord, recounted

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 40)
    image = Image.new("L", (700, 80), 255)
    draw = ImageDraw.Draw(image)
    boxes = {}
    for text, x in (("III,", 20), ("II.", 200), ("I", 380), ("Il", 500)):
        draw.text((x, 15), text, font=font, fill=0)
        boxes[text] = draw.textbbox((x, 15), text, font=font)
    letters = image.point(lambda p: 255 if p < 150 else 0)
    # As tesseract might read them: a stroke lost, one too many, one right, and a word that is
    # not a Roman numeral (left alone).
    read = [("II,", "III,"), ("III.", "II."), ("I", "I"), ("Il", "Il")]
    words = [OcrWord(wrong, *boxes[right], (1, 1, 1)) for wrong, right in read]
    assert [w.text for w in recounted(words, letters)] == ["III,", "II.", "I", "Il"]


def test_password_protected_pdf_is_refused_as_such():
    from reportlab.lib.pdfencrypt import StandardEncryption

    data = _pdf(
        lambda page: page.drawString(72, 700, "KẾ HOẠCH"),
        encrypt=StandardEncryption("mat-khau", ownerPassword="chu"),
    )
    assert refusal("ke-hoach.pdf", data) == PASSWORD


def test_truncated_pdf_is_refused():
    data = seed_path("003", ".pdf").read_bytes()
    message = refusal("ke-hoach.pdf", data[: len(data) // 2])
    assert message.startswith("The PDF is incomplete")


def test_damaged_pdf_is_refused():
    assert refusal("ke-hoach.pdf", b"%PDF-1.7\n1 0 obj << /Type /Nothing >>\n%%EOF\n") == DAMAGED


def test_pdf_with_too_many_pages_is_refused(monkeypatch):
    monkeypatch.setattr(documents, "MAX_PDF_PAGES", 5)
    message = refusal("ke-hoach.pdf", seed_path("001", ".pdf").read_bytes())
    assert message == "The PDF has 13 pages; at most 5 pages are read."


def test_spreadsheet_that_is_not_a_plan_is_refused():
    shopping = rows_xlsx([["Danh sách đi chợ"], ["Rau", 20000], ["Thịt", 120000]])
    assert refusal("cho.xlsx", shopping) == NOT_A_PLAN


def test_text_that_is_not_a_plan_is_refused():
    assert refusal("ghi-chu.txt", "Danh sách đi chợ: rau, thịt, cá".encode()) == NOT_A_PLAN


def test_empty_word_document_is_not_a_plan():
    assert refusal("trong.docx", _docx(lambda document: None)) == NOT_A_PLAN


def test_file_over_the_size_limit_is_refused(settings):
    settings.MAX_UPLOAD_BYTES = 10_000
    for extension in (".docx", ".pdf", ".txt"):
        data = seed_path("001", extension).read_bytes()
        message = refusal(f"ke-hoach{extension}", data)
        assert message.startswith("The file is ") and message.endswith(
            "at most 0.0 MB is accepted."
        )


def test_other_kinds_are_refused():
    assert "not accepted" in refusal("ke-hoach.doc", b"\xd0\xcf\x11\xe0 old word")
    assert "not a PDF" in refusal("ke-hoach.pdf", b"PK\x03\x04 not a pdf at all")


# --- Mangled files never crash ------------------------------------------------------------------

_MUTATION = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 1, exclude_max=True), st.integers(0, 7)),
    st.tuples(st.just("delete"), st.floats(0, 1, exclude_max=True), st.integers(1, 64)),
    st.tuples(
        st.just("insert"), st.floats(0, 1, exclude_max=True), st.binary(min_size=1, max_size=32)
    ),
    st.tuples(st.just("truncate"), st.floats(0, 1, exclude_max=True), st.just(0)),
)


def _mutate(data: bytes, mutations: list[tuple[str, float, Any]]) -> bytes:
    buffer = bytearray(data)
    for kind, where, what in mutations:
        if not buffer:
            break
        at = int(where * len(buffer))
        if kind == "flip":
            buffer[at] ^= 1 << what
        elif kind == "delete":
            del buffer[at : at + what]
        elif kind == "insert":
            buffer[at:at] = what
        else:
            del buffer[max(at, 1) :]
    return bytes(buffer)


def _reads_or_refuses(name: str, data: bytes) -> None:
    try:
        read_plan(name, io.BytesIO(data))
    except UploadRejected as refused:
        assert str(refused)


FUZZ = hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize(
    ("prefix", "extension"),
    [("003", ".docx"), ("003", ".pdf"), ("002", ".txt"), ("001", ".xlsx")],
)
def test_mangled_documents_are_read_or_refused(prefix, extension):
    data = seed_path(prefix, extension).read_bytes()

    @FUZZ
    @given(st.lists(_MUTATION, min_size=1, max_size=4))
    def check(mutations):
        _reads_or_refuses(f"ke-hoach{extension}", _mutate(data, mutations))

    check()


def test_word_documents_with_mangled_xml_are_read_or_refused():
    """Byte changes inside word/document.xml (zipped again, so the zip itself is sound)."""
    source = zipfile.ZipFile(io.BytesIO(seed_path("003", ".docx").read_bytes()))
    parts = {info.filename: source.read(info.filename) for info in source.infolist()}

    @FUZZ
    @given(st.lists(_MUTATION, min_size=1, max_size=3))
    def check(mutations):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, blob in parts.items():
                if name == "word/document.xml":
                    blob = _mutate(blob, mutations)
                archive.writestr(name, blob)
        _reads_or_refuses("ke-hoach.docx", buffer.getvalue())

    check()


def test_fixture_documents_are_present_and_small():
    for prefix in PREFIXES:
        for extension in (".docx", ".pdf"):
            assert seed_path(prefix, extension).stat().st_size < 200_000
    assert seed_path("001", ".xlsx").stat().st_size < 50_000
