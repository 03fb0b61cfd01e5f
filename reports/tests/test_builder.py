"""The document builder: template text → blocks → an A4 .docx in the administrative layout."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from docx.shared import Mm

from reports import builder
from reports.models import DocumentTemplate

TEMPLATE = """kind: BC-UBND
title: BÁO CÁO
subtitle: Kết quả {{ what }}
to: Sở Nội vụ thành phố Hải Phòng
recipients:
- Như trên;
- Lưu: VT, VHXH.
---
Mở đầu {{ what }}.
# I. KẾT QUẢ
## 1. Chỉ đạo điều hành
- việc một
| TT | Nội dung |
| 1 | Việc {{ what }} |
### a) Ghi chú
"""


def test_parse_reads_header_recipients_and_blocks():
    spec = builder.parse(builder.render_text(TEMPLATE, {"what": "quý I"}))
    assert (spec.kind, spec.title, spec.subtitle) == ("BC-UBND", "BÁO CÁO", "Kết quả quý I")
    assert spec.to == "Sở Nội vụ thành phố Hải Phòng"
    assert spec.recipients == ["Như trên;", "Lưu: VT, VHXH."]
    assert [b.kind for b in spec.blocks] == ["paragraph", "h1", "h2", "item", "table", "h3"]
    assert spec.blocks[4].rows == [["TT", "Nội dung"], ["1", "Việc quý I"]]


def test_a_broken_template_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError, match=r"Mẫu văn bản có lỗi|document template has an error"):
        builder.render_text("{% for x in %}", {})


def test_unknown_template_is_refused(db):
    with pytest.raises(ValidationError):
        builder.template_text("no_such_template")


def _document(data: bytes):
    return Document(io.BytesIO(data))


def test_layout_follows_the_decree(world):
    spec = builder.parse(builder.render_text(TEMPLATE, {"what": "năm 2026"}))
    data = builder.layout(
        spec,
        unit=world.thanhdong,
        issued_on=date(2026, 12, 8),
        number="25",
        signer=builder.Signer("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn A"),
    )
    document = _document(data)
    section = document.sections[0]
    measured = [
        section.page_width,
        section.page_height,
        section.left_margin,
        section.right_margin,
        section.top_margin,
        section.bottom_margin,
    ]
    expected = [Mm(210), Mm(297), Mm(30), Mm(15), Mm(20), Mm(20)]
    assert all(abs(a - b) < Mm(0.1) for a, b in zip(measured, expected, strict=True))
    head = document.tables[0]
    left, right = head.cell(0, 0).text, head.cell(0, 1).text
    assert "ỦY BAN NHÂN DÂN" in left and "PHƯỜNG THÀNH ĐÔNG" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    assert head.cell(1, 0).text == "Số: 25/BC-UBND"
    assert head.cell(1, 1).text == "Thành Đông, ngày 08 tháng 12 năm 2026"
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts and "Kết quả năm 2026" in texts
    assert "Kính gửi: Sở Nội vụ thành phố Hải Phòng" in texts
    fonts = {r.font.name for p in document.paragraphs for r in p.runs if r.text.strip()}
    assert fonts == {"Times New Roman"}
    body = document.tables[1]
    assert body.cell(1, 1).text == "Việc năm 2026"
    closing = document.tables[-1]
    assert "Nơi nhận:" in closing.cell(0, 0).text and "- Lưu: VT, VHXH." in closing.cell(0, 0).text
    assert closing.cell(0, 1).text.split("\n")[:2] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert closing.cell(0, 1).text.strip().endswith("Lê Văn A")
    assert "DỰ THẢO" not in texts


def test_a_draft_says_so_and_why(world):
    spec = builder.parse("title: BÁO CÁO\n---\nNội dung")
    data = builder.layout(spec, unit=world.thanhdong, draft_notes=["Còn thiếu: Phòng Kinh tế."])
    texts = [p.text for p in _document(data).paragraphs]
    assert texts[:2] == ["DỰ THẢO", "Còn thiếu: Phòng Kinh tế."]
    assert _document(data).tables[0].cell(1, 1).text == "Thành Đông, ngày     tháng     năm"


def test_an_administrator_wording_replaces_the_default(world):
    default = builder.build_document("cchc_report", _report_context(), unit=world.thanhdong)
    assert "báo cáo kết quả thực hiện" in "\n".join(p.text for p in _document(default).paragraphs)
    DocumentTemplate.objects.create(
        key="cchc_report",
        text="title: BÁO CÁO NHANH\n---\nCâu chữ của quản trị viên {{ unit.name }}.",
    )
    custom = _document(builder.build_document("cchc_report", {}, unit=world.thanhdong))
    texts = [p.text for p in custom.paragraphs]
    assert "BÁO CÁO NHANH" in texts and "Câu chữ của quản trị viên Thành Đông." in texts


def _report_context():
    return {"unit_title": "phường Thành Đông", "period_title": "năm 2026", "sections": []}


def test_column_widths_follow_the_content():
    rows = [["TT", "Nội dung", "Chủ trì"]] + [
        ["1", "Xây dựng và triển khai kế hoạch cải cách hành chính năm 2026 của phường", "VHXH"]
    ] * 3
    widths = builder.column_widths(rows)
    assert round(sum(widths), 3) == builder.TEXT_WIDTH_CM
    assert widths[0] < widths[2] < widths[1]


def test_the_admin_form_refuses_a_broken_wording_and_offers_the_default(admin_client):
    url = "/admin/reports/documenttemplate/add/"
    page = admin_client.get(url + "?key=plan").content.decode()
    assert "KẾ HOẠCH" in page
    response = admin_client.post(url, {"key": "plan", "text": "{% if %}"})
    assert response.status_code == 200 and not DocumentTemplate.objects.exists()
    response = admin_client.post(url, {"key": "nope", "text": "title: X"})
    assert not DocumentTemplate.objects.exists()
    admin_client.post(url, {"key": "plan", "text": "title: KẾ HOẠCH\n---\nMới."})
    assert DocumentTemplate.objects.get(key="plan").text.endswith("Mới.")
