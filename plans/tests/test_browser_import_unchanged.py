"""In a browser: a plan never seen before is uploaded, read in the background, and confirmed on
the review page without touching anything; the saved plan is what `import_plan --json` reads,
and as a draft it shows on no dashboard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from org import demo as org_demo
from org.models import Department, User
from plans.models import Plan, Task
from plans.tests.test_import_fixtures import assert_saved_as_read, read_by_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNSEEN = Path(__file__).resolve().parents[2] / "fixtures" / "imports"


def test_an_unseen_plan_confirmed_with_no_change(page, live_server, login, screenshot):
    org_demo.load()
    (path,) = UNSEEN.glob("an_binh_*.txt")
    read = read_by_command(path)
    login(page, live_server.url, "thanhdong.daumoi")
    page.goto(f"{live_server.url}/imports/")
    page.set_input_files("#id_files", str(path))
    page.click("button.primary")
    expect(page.locator("#batch-progress")).to_contain_text("0/1")

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    review = page.locator("#batch-progress a.button")
    expect(review).to_be_visible(timeout=10_000)
    review.click()
    expect(page.locator("h1")).to_contain_text(path.name)
    # the vague and outside bodies are kept as written, without anyone choosing
    expect(page.get_by_label("các ngành liên quan", exact=True)).to_have_value("text")
    expect(page.get_by_label("Sở Nội vụ", exact=True)).to_have_value("text")
    expect(page.get_by_label("Phòng Tư pháp", exact=True)).to_have_value("new")
    screenshot(page, "import-review-unchanged")
    page.click("button[value=confirm]")

    expect(page.locator("h1")).to_contain_text("Cải cách hành chính năm 2024")
    plan = Plan.objects.get(source_name=path.name)
    focal = User.objects.get(username="thanhdong.daumoi")
    assert_saved_as_read(plan, read, focal.department)
    assert plan.targets.filter(comparator="gt", value=50).exists()
    assert not Department.objects.filter(unit=plan.unit, name__icontains="liên quan").exists()

    # a draft of a past year: none of its overdue work shows on the dashboard
    before = Task.objects.counted().filter(plan__unit=plan.unit).count()
    page.goto(f"{live_server.url}/plans/dashboard/")
    expect(page.locator("h1")).to_be_visible()
    assert plan.title not in page.content()
    assert Task.objects.counted().filter(plan__unit=plan.unit).count() == before


HARD = Path(__file__).resolve().parents[2] / "fixtures" / "hard"


def test_a_plan_whose_tables_break_across_pages_confirmed_with_no_change(
    page, live_server, login, screenshot
):
    """The Word form of a plan whose task and target tables are cut by page breaks (each piece
    repeats the header; a row's rest sits in a row with no number), under two-row headers."""
    org_demo.load()
    (path,) = HARD.glob("002_*_bang.docx")
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    read = read_by_command(path)
    login(page, live_server.url, "thanhdong.daumoi")
    page.goto(f"{live_server.url}/imports/")
    page.set_input_files("#id_files", str(path))
    page.click("button.primary")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    review = page.locator("#batch-progress a.button")
    expect(review).to_be_visible(timeout=10_000)
    review.click()
    expect(page.locator("h1")).to_contain_text(path.name)
    # what each aim was understood as, in words: a range keeps both ends, a unit its space
    expect(page.get_by_text("từ 95 đến 100%", exact=True)).to_have_count(1)
    expect(page.get_by_text("tối thiểu 2 hoạt động", exact=True)).to_have_count(1)
    screenshot(page, "import-review-page-broken")
    page.click("button[value=confirm]")

    expect(page.locator("h1")).to_contain_text(expected["document"]["title"])
    plan = Plan.objects.get(source_name=path.name)
    assert_saved_as_read(plan, read, User.objects.get(username="thanhdong.daumoi").department)
    # every row cut by a page break was joined to the row it continues
    assert plan.tasks.count() == len(expected["tasks"])
    assert plan.targets.count() == len(expected["targets"])
    saved = list(plan.tasks.order_by("order").values_list("area__code", "content"))
    assert saved == [(t["area"], t["content"]) for t in expected["tasks"]]
