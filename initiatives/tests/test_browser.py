"""End to end: the focal officer opens the initiatives register on a phone, proposes an
initiative and sends it to the reviewing body."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_initiative_goes_to_the_reviewing_body(page, demo_site, login, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, demo_site, "thanhdong.daumoi")
    page.goto(f"{demo_site}/surveys/initiatives/")
    expect(page.locator("table.sv-table tbody tr")).to_have_count(3)
    screenshot(page, "initiatives-phone")
    page.click("text=Đề xuất sáng kiến")
    page.fill("#id_title", "Trả kết quả hộ tịch qua bưu chính công ích")
    page.fill("#id_authors", "Ngô Thị Thu")
    page.fill("#id_problem", "Người dân ở xa phải đi lại hai lần để nhận kết quả.")
    page.fill("#id_solution", "Phối hợp bưu điện phường trả kết quả tận nhà.")
    page.click("button.primary")
    expect(page.locator("text=Đã lưu sáng kiến.")).to_be_visible()
    page.click("button[value=sent]")
    expect(page.locator("h1 + p .badge")).to_have_text("Đã gửi cơ quan xét, công nhận")
    page.goto(f"{demo_site}/surveys/initiatives/?status=sent")
    expect(page.locator("table.sv-table")).to_contain_text("Trả kết quả hộ tịch")
    page.goto(f"{demo_site}/surveys/")
    screenshot(page, "surveys-home-phone")
