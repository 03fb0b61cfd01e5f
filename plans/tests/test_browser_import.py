"""End to end: upload a plan document, watch it being read, review it and save the plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from org import demo as org_demo
from plans.models import Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


def test_import_a_plan_document(page, live_server, screenshot):
    org_demo.load()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "thaitan.daumoi")
    page.fill("#id_password", org_demo.DEMO_PASSWORD)
    page.click("button.primary")

    page.goto(f"{live_server.url}/imports/")
    (seed,) = SEEDS.glob("002_*.txt")
    page.set_input_files("#id_files", str(seed))
    page.click("button.primary")
    expect(page.locator("#batch-progress")).to_contain_text("0/1")

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)  # the worker's turn
    review = page.locator("#batch-progress a.button")
    expect(review).to_be_visible(timeout=10_000)  # the page polled and saw it finished
    review.click()

    expect(page.locator("h1")).to_contain_text(seed.name)
    assert "Cải cách hành chính nhà nước xã sáu tháng cuối năm 2025" in page.input_value(
        "input[name=title]"
    )
    screenshot(page, "import-review")
    # prose tasks name no lead: choose one per area, as section IV.2 of the plan assigns them
    leads = [
        "Phòng Văn hóa - Xã hội",
        "Văn phòng HĐND và UBND",
        "Trung tâm Phục vụ hành chính công",
    ]
    for i in range(8):
        page.select_option(f"select[name=area-{i}-lead]", label=leads[i % 3])
    page.click("button[value=confirm]")
    expect(page.locator("h1")).to_contain_text("sáu tháng cuối năm 2025")
    plan = Plan.objects.get(unit__code="31-THAITAN")
    assert plan.targets.count() == 25 and plan.tasks.count() == 53
    assert plan.source_name == seed.name
    assert plan.tasks.filter(area__order=2, lead_department__name="Văn phòng HĐND và UBND").exists()
