"""The province's consolidated report of a period: the .docx through the one document builder,
its .xlsx with one row per commune, the buttons on the board, and who may have them."""

from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from org.models import Role
from oversight.consolidated import consolidated_board, report_context
from oversight.tests.conftest import (
    TODAY,
    add_report,
    add_task,
    make_plan,
)
from plans.models import TaskStatus
from reports import rendering

DOCX_URL = "/oversight/report.docx?year=2026&period=h1"
XLSX_URL = "/oversight/report.xlsx?year=2026&period=h1"


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


@pytest.fixture
def appraiser(client, world):
    client.force_login(world.people[Role.APPRAISER])
    return client


def test_the_docx_holds_the_title_counts_late_communes_and_ranking(appraiser, province):
    response = appraiser.get(DOCX_URL)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('2026-h1.docx"')
    document = Document(io.BytesIO(response.content))
    text = _text(document)
    assert (
        "Tổng hợp kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2026 "
        "của các xã, phường"
    ) in text
    assert "SỞ NỘI VỤ" in text and "Kính gửi: Ủy ban nhân dân thành phố Hải Phòng" in text
    # Counts and rates, written the Vietnamese way.
    assert "2/2 xã, phường đã ban hành kế hoạch" in text
    assert "đã hoàn thành 2 nhiệm vụ (đạt 50%)" in text
    assert "1 nhiệm vụ quá hạn" in text
    assert "2/2 xã, phường đã gửi báo cáo (đạt 100%)" in text
    assert "1 báo cáo gửi trễ hạn (50%)" in text
    assert "chưa gửi báo cáo" not in text  # a zero clause is dropped
    assert "2/2 xã, phường đã nộp kết quả tự đánh giá" in text
    assert "1 tồn tại đã quá thời hạn khắc phục" in text
    assert "đạt 90%" in text  # satisfaction
    # The late commune is named, with the day its report was sent.
    assert "Gửi báo cáo trễ hạn (1): Phường Thành Đông (gửi ngày 15/06/2026)." in text
    assert "Có tồn tại quá thời hạn khắc phục (1): Phường Thành Đông (1 tồn tại)." in text
    assert "Đông Quang" not in text
    # The ranking table: header repeated, Thái Tân first.
    ranking = next(t for t in document.tables if t.rows[0].cells[0].text == "Thứ hạng")
    assert [[c.text for c in r.cells] for r in ranking.rows[1:]] == [
        ["1", "Xã Thái Tân", "82"],
        ["2", "Phường Thành Đông", "75,5"],
    ]
    assert ranking.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    # Common findings and proposals.
    assert "Chưa niêm yết đầy đủ thủ tục hành chính" in text
    assert "chỉ đạo, đôn đốc Ủy ban nhân dân các xã, phường: Phường Thành Đông khẩn" in text
    assert "Nơi nhận:" in text and "GIÁM ĐỐC" in text


def test_a_year_without_a_ranking_renumbers_its_sections(world, today):
    plan = make_plan(world.thanhdong)
    add_task(plan, status=TaskStatus.OVERDUE, due=date(2026, 5, 31))
    add_report(plan, "q1", sent_on=date(2026, 3, 5))
    board = consolidated_board(world.haiphong, 2026, "h1", on=TODAY)
    context = report_context(board, on=TODAY)
    assert context["ranking"] == []
    assert "Xã Thái Tân" in context["missing"] and "Phường Thành Đông" in context["missing"]
    from oversight.consolidated import consolidated_docx

    text = _text(Document(io.BytesIO(consolidated_docx(world.haiphong, 2026, "h1", on=TODAY))))
    assert "XẾP HẠNG" not in text
    assert "II. CÁC XÃ, PHƯỜNG CHẬM, THIẾU" in text
    assert "Chưa gửi báo cáo định kỳ (2): Xã Thái Tân, Phường Thành Đông." in text
    assert "IV. ĐỀ XUẤT, KIẾN NGHỊ" in text


def test_the_xlsx_has_one_row_per_commune_whatever_the_filters(appraiser, province):
    response = appraiser.get(XLSX_URL + "&late=1&q=thai")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [
        row[0] for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row - 1, values_only=True)
    ]
    assert sorted(names) == sorted(["Phường Thành Đông", "Xã Thái Tân"])


def test_the_board_offers_both_files_for_its_period(appraiser, province):
    html = appraiser.get("/oversight/?year=2026&period=q1&late=1").content.decode()
    assert 'href="/oversight/report.docx?year=2026&amp;period=q1"' in html
    assert 'href="/oversight/report.xlsx?year=2026&amp;period=q1"' in html


def test_a_commune_never_has_the_consolidated_report(client, world, province):
    for role in (Role.FOCAL, Role.LEADER, Role.OFFICER):
        client.force_login(world.people[role])
        assert client.get(DOCX_URL).status_code == 404
        assert client.get(XLSX_URL).status_code == 404
    client.logout()
    assert client.get(DOCX_URL).status_code == 302


def test_the_consolidated_report_prints_in_the_administrative_layout(appraiser, province):
    if not rendering.tools_available():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true requires LibreOffice (soffice) and poppler (pdftoppm)")
        pytest.skip("LibreOffice or poppler is not installed")
    import pdfplumber

    out = Path("test-output")
    docx = appraiser.get(DOCX_URL).content
    pdf = rendering.docx_to_pdf(docx, out, "province-report")
    with pdfplumber.open(pdf) as document:
        first = document.pages[0]
        assert round(first.width / 72 * 25.4) == 210
        text = first.extract_text()
    for expected in ("SỞ NỘI VỤ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", "Kính gửi"):
        assert expected in text
    assert rendering.pdf_to_png(pdf, dpi=60).is_file()


def test_the_consolidated_report_downloads_as_pdf(appraiser, province, client, world):
    from core.pdf import pdf_available

    if not pdf_available():
        pytest.skip("LibreOffice is not installed")
    import pdfplumber

    html = appraiser.get("/oversight/?year=2026&period=q1").content.decode()
    assert 'href="/oversight/report.pdf?year=2026&amp;period=q1"' in html
    response = appraiser.get(DOCX_URL.replace("report.docx", "report.pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as document:
        text = document.pages[0].extract_text()
    for expected in (
        "SỞ NỘI VỤ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ):
        assert expected in text
    client.force_login(world.people[Role.FOCAL])
    assert client.get(DOCX_URL.replace("report.docx", "report.pdf")).status_code == 404


def test_no_pdf_button_without_libreoffice(appraiser, province, monkeypatch):
    from core import pdf

    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    html = appraiser.get("/oversight/?year=2026&period=q1").content.decode()
    assert "report.pdf" not in html and "report.docx" in html
    assert appraiser.get(DOCX_URL.replace("report.docx", "report.pdf")).status_code == 404
