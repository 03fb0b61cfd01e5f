"""The Hải Phòng appraiser opens the board from the home page, filters and sorts it without a
page load, and reads it on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_appraiser_follows_every_commune(page, demo_site, login, screenshot):
    login(page, demo_site, "sonoivu.haiphong")
    page.goto(f"{demo_site}/")
    page.click(".callout a.button.primary")
    expect(page).to_have_url(f"{demo_site}/oversight/")
    rows = page.locator("table.board-table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("table.board-table tbody")).to_contain_text("Thành Đông")
    expect(page.locator("table.board-table tbody")).to_contain_text("Thái Tân")
    expect(page.locator(".rates .rate")).to_have_count(4)
    expect(page.locator("table.board-table tfoot")).to_be_visible()

    # Filters swap the table in place and keep the address in step.
    page.check("input[name=late]")
    expect(page).to_have_url(re.compile(r"late=1"))
    page.fill("input[name=q]", "thanh dong")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Thành Đông")
    expect(page).to_have_url(re.compile(r"q=thanh(%20|\+)dong"))
    page.fill("input[name=q]", "")
    expect(rows).to_have_count(2)

    # Sorting by a column, then the other way round; the filters stay.
    page.click("th.col-overdue a")
    expect(page.locator("th.col-overdue")).to_have_attribute("aria-sort", "descending")
    expect(rows.first).to_contain_text("Thành Đông")
    # Another period keeps the order chosen in the table's header.
    page.select_option("select[name=period]", "h1")
    expect(page).to_have_url(re.compile(r"period=h1"))
    expect(page.locator(".rate.chosen")).to_contain_text("2026")
    expect(page.locator("th.col-overdue")).to_have_attribute("aria-sort", "descending")
    page.click("th.col-overdue a")
    expect(page.locator("th.col-overdue")).to_have_attribute("aria-sort", "ascending")
    # Thái Tân has less overdue work than Thành Đông (plans/demo.py).
    expect(rows.last).to_contain_text("Thành Đông")
    page.click("th.col-name a")
    expect(page.locator("th.col-name")).to_have_attribute("aria-sort", "ascending")
    expect(rows.first).to_contain_text("Thái Tân")
    expect(page.locator("input[name=late]")).to_be_checked()
    screenshot(page, "oversight-board")

    # The plan cell opens the commune's plan, read-only for the province.
    page.click("table.board-table tbody tr:has-text('Thành Đông') td:nth-of-type(1) a")
    expect(page.locator("h1")).to_contain_text("Thành Đông")
    expect(page.locator("a[href$='/tasks/new/']")).to_have_count(0)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{demo_site}/oversight/?period=h1")
    expect(rows).to_have_count(2)
    screenshot(page, "oversight-board-phone")
