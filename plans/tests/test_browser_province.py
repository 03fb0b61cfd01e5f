"""End to end: the province's appraiser follows its communes' plans and overdue tasks, chooses
one commune, and reads the same lists on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from org.models import Unit
from plans.models import Plan, PlanStatus, Task, TaskStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_province_follows_its_communes(page, demo_site, login, screenshot):
    login(page, demo_site, "sonoivu.haiphong")
    plans = Plan.objects.filter(unit__province__name="Hải Phòng")
    page.goto(f"{demo_site}/plans/")
    expect(page.locator("#plan-table tbody tr")).to_have_count(plans.count())
    assert "Đông Quang" not in page.inner_text("main")  # Thanh Hoá's commune

    # choosing a commune swaps the table in place, and the choice can be bookmarked
    thaitan = Unit.objects.get(code="31-THAITAN")
    page.select_option("select[name=commune]", str(thaitan.pk))
    page.wait_for_url(f"**commune={thaitan.pk}**")
    expect(page.locator("#plan-table tbody tr")).to_have_count(plans.filter(unit=thaitan).count())
    screenshot(page, "province-plans-one-commune")

    overdue = Task.objects.filter(
        plan__in=plans,
        plan__status__in=[PlanStatus.APPROVED, PlanStatus.IN_PROGRESS],
        status=TaskStatus.OVERDUE,
    )
    page.goto(f"{demo_site}/plans/board/")
    expect(page.locator("#overdue-table tbody tr.status-row-overdue")).to_have_count(
        overdue.count()
    )

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{demo_site}/plans/")
    first = page.locator("#plan-table tbody tr").first
    expect(first.locator("td").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "province-plans-phone")
