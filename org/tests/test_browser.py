"""End to end in headless Chromium: a demo account logs in and sees its commune in Vietnamese."""

from __future__ import annotations

import pytest

from org import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server):
    demo.load()
    return live_server.url


def log_in(page, base_url: str, username: str, password: str = demo.DEMO_PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")


def test_focal_officer_logs_in_and_sees_the_commune_in_vietnamese(page, demo_site, screenshot):
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    log_in(page, demo_site, "thanhdong.daumoi")
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "Ủy ban nhân dân phường Thành Đông"
    assert page.get_attribute("html", "lang") == "vi"
    body = page.inner_text("main")
    for department in ("Phòng Văn hóa - Xã hội", "Trung tâm Phục vụ hành chính công"):
        assert department in body
    assert "Nguyễn Tuấn Ngọc" in body and "Đầu mối CCHC" in body
    path = screenshot(page, "home-focal-officer")
    assert path.stat().st_size > 10_000
    assert errors == []  # no script blocked by the Content-Security-Policy


def test_wrong_password_is_explained_in_vietnamese(page, demo_site):
    log_in(page, demo_site, "thanhdong.daumoi", "sai-mat-khau")
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in page.inner_text("main")


def test_appraiser_switches_unit_on_a_phone(page, demo_site, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, demo_site, "sonoivu.haiphong")
    page.select_option("#unit-switch", label="Xã Thái Tân – Hải Phòng")
    page.wait_for_selector("h1:has-text('Thái Tân')")
    assert "Phòng Kinh tế" in page.inner_text("main")
    page.click("[data-toggle=nav]")
    assert page.is_visible("#mainnav a[href='/units/']")
    screenshot(page, "home-appraiser-phone")
