"""End to end: a task reported complete closes its open milestones, and the dashboard follows."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q
from playwright.sync_api import expect

from plans.models import Plan, Task, TaskStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DONE = [TaskStatus.DONE, TaskStatus.DONE_LATE]


def _dashboard(page, base_url: str) -> tuple[int, int]:
    """(tasks done, of all tasks) as the commune's dashboard shows them."""
    page.goto(f"{base_url}/plans/dashboard/")
    stat = page.locator("#stat-done")
    return int(stat.get_attribute("data-done")), int(stat.get_attribute("data-total"))


def test_reporting_complete_closes_the_milestones(page, demo_site, login, screenshot):
    login(page, demo_site, "thanhdong.daumoi")
    plan = Plan.objects.get(unit__code="31-THANHDONG")
    # A task under way whose recurring milestones are partly open (quarterly and yearly reports).
    task = (
        Task.objects.filter(plan=plan, milestones__kind="recurring")
        .exclude(status__in=DONE)
        .annotate(open=Count("milestones", filter=Q(milestones__done_on__isnull=True)))
        .filter(open__gte=2)
        .order_by("area__order", "order")
        .first()
    )
    assert task is not None
    open_ids = sorted(task.milestones.filter(done_on__isnull=True).values_list("pk", flat=True))
    done_before, total = _dashboard(page, demo_site)

    page.goto(f"{demo_site}/plans/tasks/{task.pk}/")
    expect(page.locator("#close-milestones-set")).to_have_count(0)
    page.fill("#id_note", "Đã gửi báo cáo quý IV và báo cáo năm 2026")
    page.fill("#id_percent", "100")
    # The open milestones appear in the form, every one ticked, each with its period.
    offered = page.locator("#close-milestones-set input[name=close]")
    expect(offered).to_have_count(len(open_ids))
    assert sorted(int(v) for v in offered.evaluate_all("els => els.map(e => e.value)")) == open_ids
    assert all(offered.evaluate_all("els => els.map(e => e.checked)"))
    periods = page.locator("#close-milestones-set input[name^=period_]")
    expect(periods).to_have_count(len(open_ids))
    assert all("2026" in value for value in periods.evaluate_all("els => els.map(e => e.value)"))
    screenshot(page, "task-close-milestones")

    # A period left empty: refused beside it, nothing saved, what was typed kept.
    page.fill(f"#id_period_{open_ids[0]}", "")
    with page.expect_navigation():
        page.click("#progress-form button[type=submit]")
    expect(page.locator("#close-milestones-set .field-error")).to_have_count(1)
    assert task.updates.filter(percent=100).count() == 0
    assert not task.milestones.filter(pk__in=open_ids, done_on__isnull=False).exists()
    assert page.input_value("#id_note") == "Đã gửi báo cáo quý IV và báo cáo năm 2026"

    page.fill(f"#id_period_{open_ids[0]}", "Quý IV/2026")
    with page.expect_navigation():
        page.click("#progress-form button[type=submit]")
    milestones = page.locator("ul.milestones li.milestone")
    assert milestones.count() == task.milestones.count()
    expect(page.locator("ul.milestones li.milestone.done")).to_have_count(milestones.count())
    expect(page.locator(f"li[data-milestone='{open_ids[0]}'] .done-period")).to_have_text(
        "Quý IV/2026"
    )
    task.refresh_from_db()
    assert task.progress_percent == 100 and task.status in DONE
    assert not task.milestones.filter(done_on__isnull=True).exists()
    assert task.milestones.get(pk=open_ids[0]).done_period == "Quý IV/2026"
    screenshot(page, "task-milestones-closed")

    done_after, total_after = _dashboard(page, demo_site)
    assert (done_after, total_after) == (done_before + 1, total)
    screenshot(page, "dashboard-after-closing")
