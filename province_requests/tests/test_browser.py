"""The province sends a request, a commune answers it after the due date, the board shows the
late answer and the consolidated report names the commune."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from docx import Document
from playwright.sync_api import expect

from core import clock
from province_requests.models import ProvinceRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Số liệu đội ngũ công chức cấp xã năm 2026"


def test_a_request_answered_late_reaches_the_board_and_the_consolidated_report(
    page, demo_site, login, screenshot, tmp_path
):
    today = clock.today()
    login(page, demo_site, "sonoivu.haiphong")
    page.goto(f"{demo_site}/requests/")
    # the demo's figures request: half answered
    expect(page.locator("table.rq-table")).to_contain_text("1287/SNV-CCHC")
    screenshot(page, "requests-province-list")
    page.click("a[href$='/requests/new/']")
    page.select_option("#id_kind", "figures")
    page.fill("#id_title", TITLE)
    page.fill("#id_period", "Năm 2026")
    page.fill("#id_due", today.isoformat())
    page.fill("#id_letter_number", "1400/SNV-CCHC")
    page.check("input[name=to_all][value='0']")
    page.click(".rq-recipients summary")
    page.check("label:has-text('Thái Tân') input[name=communes]")
    letter = tmp_path / "1400-SNV-CCHC.pdf"
    letter.write_bytes(b"%PDF-1.4\n% cong van\n%%EOF\n")
    page.set_input_files("#id_letter", str(letter))
    page.click("button.primary")
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("table.rq-table tbody tr")).to_have_count(1)
    expect(page.locator("table.rq-table tbody")).to_contain_text("Thái Tân")

    # Days pass: the due date is behind us when the commune answers.
    ProvinceRequest.objects.filter(title=TITLE).update(due=today - timedelta(days=2))

    login(page, demo_site, "thaitan.daumoi")
    page.goto(f"{demo_site}/reminders/work/")
    expect(page.locator("main")).to_contain_text(TITLE)
    page.goto(f"{demo_site}/requests/")
    page.click(f"a:has-text('{TITLE}')")
    expect(page.locator("p.alert[role=note]")).to_be_visible()  # it will be marked late
    answer = tmp_path / "so-lieu-cong-chuc.pdf"
    answer.write_bytes(b"%PDF-1.4\n% so lieu\n%%EOF\n")
    page.set_input_files("#id_files", str(answer))
    page.fill("#id_answer", "UBND xã Thái Tân gửi số liệu theo biểu.")
    page.click("button.primary")
    expect(page.locator("#answer .badge.rq-late")).to_be_visible()
    expect(page.locator("#answer")).to_contain_text("so-lieu-cong-chuc.pdf")
    screenshot(page, "requests-commune-answered-late")

    login(page, demo_site, "sonoivu.haiphong")
    page.goto(f"{demo_site}/oversight/?year={today.year}&period=year")
    row = page.locator("table.board-table tbody tr", has_text="Thái Tân")
    requests_cell = row.locator("td").last
    expect(requests_cell).to_contain_text("1/3")
    expect(requests_cell.locator("a")).to_have_attribute("href", f"/requests/?commune={_pk()}")
    screenshot(page, "requests-on-the-board")
    with page.expect_download() as download:
        page.click("a[href^='/oversight/report.docx']")
    text = "\n".join(
        p.text for p in Document(io.BytesIO(download.value.path().read_bytes())).paragraphs
    )
    assert f"Xã Thái Tân (ngày {today:%d/%m/%Y})" in text
    assert "Trả lời văn bản đề nghị của Sở trễ hạn" in text


def _pk() -> int:
    from org.models import Unit

    return Unit.objects.get(code="31-THAITAN").pk
