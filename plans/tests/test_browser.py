"""End to end: open the plan, filter overdue tasks, report progress with a file, see the change."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from plans.models import Plan, Task, TaskStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_to_dashboard(page, demo_site, login, screenshot, tmp_path):
    login(page, demo_site, "thanhdong.daumoi")

    plan = Plan.objects.get(unit__code="31-THANHDONG")
    page.goto(f"{demo_site}/plans/{plan.pk}/")
    assert "Kế hoạch Cải cách hành chính nhà nước phường Thành Đông năm 2026" in page.inner_text(
        "h1"
    )
    assert page.locator("tr.task-row").count() == 33

    # filter the overdue tasks (HTMX swaps the table in place)
    overdue = Task.objects.filter(plan=plan, status=TaskStatus.OVERDUE)
    assert overdue.exists()
    page.check("input[name=overdue]")
    expect(page.locator("tr.task-row")).to_have_count(overdue.count())
    assert "overdue=on" in page.url  # the filtered view can be bookmarked
    screenshot(page, "plan-overdue-filter")

    dashboard_before = _done_percent(page, demo_site)

    # open an overdue task and report it done with a product file
    task = overdue.order_by("area__order", "order").first()
    page.goto(f"{demo_site}/plans/{plan.pk}/?overdue=on")
    page.click(f"a[href='/plans/tasks/{task.pk}/']")
    # Typed before htmx has read the page, the percent would ask for no milestone list.
    page.wait_for_load_state("load")
    page.fill("#id_note", "Đã hoàn thành, gửi kèm báo cáo")
    page.fill("#id_percent", "100")
    # Its open milestones are offered, all ticked, to be marked done with it.
    still_open = task.milestones.filter(done_on__isnull=True).count()
    expect(page.locator("#close-milestones-set input[name=close]:checked")).to_have_count(
        still_open
    )
    product = tmp_path / "bao-cao-ket-qua.pdf"
    product.write_bytes(b"%PDF-1.4\n% bao cao\n%%EOF\n")
    page.set_input_files("#id_files", str(product))
    page.click("text=Lưu tiến độ")
    page.wait_for_selector("text=Đã ghi nhận tiến độ")
    assert "bao-cao-ket-qua.pdf" in page.inner_text("main")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE_LATE
    assert not task.milestones.filter(done_on__isnull=True).exists()

    dashboard_after = _done_percent(page, demo_site)
    assert dashboard_after > dashboard_before
    screenshot(page, "dashboard-after-progress")


def _done_percent(page, base_url: str) -> int:
    page.goto(f"{base_url}/plans/dashboard/")
    text = page.inner_text(".stats")
    return int(re.search(r"(\d+)%", text).group(1))
