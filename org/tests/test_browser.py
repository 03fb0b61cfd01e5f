"""End to end in headless Chromium: a demo account logs in and sees its commune in Vietnamese."""

from __future__ import annotations

import pytest

from org import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server):
    demo.load()
    return live_server.url


def test_focal_officer_logs_in_and_sees_the_commune_in_vietnamese(
    page, demo_site, login, screenshot
):
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    login(page, demo_site, "thanhdong.daumoi")
    assert page.url.endswith("/plans/dashboard/")  # a commune signs in to its figures
    assert page.inner_text("h1") == "Tổng quan CCHC"
    page.click("#mainnav a[href='/']")
    page.wait_for_selector("h1:has-text('Thành Đông')")
    assert page.inner_text("h1") == "Ủy ban nhân dân phường Thành Đông"
    assert page.get_attribute("html", "lang") == "vi"
    body = page.inner_text("main")
    for department in ("Phòng Văn hóa - Xã hội", "Trung tâm Phục vụ hành chính công"):
        assert department in body
    assert "Nguyễn Tuấn Ngọc" in body and "Đầu mối CCHC" in body
    path = screenshot(page, "home-focal-officer")
    assert path.stat().st_size > 10_000
    assert errors == []  # no script blocked by the Content-Security-Policy


def test_wrong_password_is_explained_in_vietnamese(page, demo_site, login):
    login(page, demo_site, "thanhdong.daumoi", "sai-mat-khau", wait=False)
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in page.inner_text("main")


def test_appraiser_switches_unit_on_a_phone(page, demo_site, login, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, demo_site, "sonoivu.haiphong")
    assert page.url.endswith("/oversight/")  # the province signs in to its communes' board
    page.goto(f"{demo_site}/")
    page.select_option("#unit-switch", label="Xã Thái Tân – Hải Phòng")
    page.wait_for_selector("h1:has-text('Thái Tân')")
    assert "Phòng Kinh tế" in page.inner_text("main")
    page.click("[data-toggle=nav]")
    page.click("#mainnav details[data-menu-group=communes] summary")
    assert page.is_visible("#mainnav a[href='/units/']")
    screenshot(page, "home-appraiser-phone")
