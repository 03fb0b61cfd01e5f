"""The province's board and consolidated report tell who answered its requests late or not."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document

from core import clock
from org.models import Role
from oversight.consolidated import consolidated_docx
from oversight.services import BoardQuery, build_board
from province_requests import services
from province_requests.models import Recipient

pytestmark = pytest.mark.django_db
ON = date(2026, 10, 5)


@pytest.fixture
def answered_late(world, sent):
    copy = Recipient.objects.get(request=sent, unit=world.thanhdong)
    with clock.as_of(date(2026, 10, 2)):
        services.answer_request(
            copy, services.AnswerData(link="https://td.vn/q3"), by=world.people[Role.FOCAL]
        )
    return copy


def test_the_board_marks_late_and_missing_answers_and_sorts_by_them(world, answered_late):
    board = build_board(world.haiphong, BoardQuery(2026, "year", sort="-requests"), on=ON)
    rows = {row.unit_id: row for row in board.rows}
    assert rows[world.thanhdong.pk].requests.late == 1 and rows[world.thanhdong.pk].late
    assert rows[world.thaitan.pk].requests.missing == 1
    assert board.rows[0].unit_id == world.thaitan.pk  # the missing answer first
    assert (board.totals.requests_asked, board.totals.requests_late) == (2, 1)
    late_only = build_board(world.haiphong, BoardQuery(2026, "year", late_only=True), on=ON)
    assert {r.unit_id for r in late_only.rows} >= {world.thanhdong.pk, world.thaitan.pk}


def test_the_consolidated_report_names_who_answered_late_and_who_did_not(world, answered_late):
    with clock.as_of(ON):
        content = consolidated_docx(world.haiphong, 2026, "year", on=ON)
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "Văn bản số 125/SNV-CCHC ngày 18/09/2026 về báo cáo kết quả CCHC quý III/2026" in text
    assert "1/2 xã, phường đã trả lời" in text
    assert "trả lời trễ hạn (1): Phường Thành Đông (ngày 02/10/2026)" in text
    assert "Trả lời văn bản đề nghị của Sở trễ hạn (1): Phường Thành Đông" in text
    assert "Quá hạn chưa trả lời văn bản đề nghị của Sở (1): Xã Thái Tân" in text
    # the first quarter's report does not speak of a request due in September
    with clock.as_of(ON):
        q1 = consolidated_docx(world.haiphong, 2026, "q1", on=ON)
    assert "125/SNV-CCHC" not in "\n".join(p.text for p in Document(io.BytesIO(q1)).paragraphs)
