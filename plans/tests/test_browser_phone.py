"""End to end on a 390 px phone: the plan page shows its tasks on the first screen with every
action of the plan in one menu, its forms are usable with a thumb, and so are the task page and
its progress form; on a wide screen the main actions stay buttons beside the same menu."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import TEST_OUTPUT
from plans.models import Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
THUMB = 44  # px, the least height of a control touched with a thumb
# The controls a thumb must hit in a page's own forms (not the layout's top bar).
CONTROLS = (
    "main form input:not([type=hidden]):not([type=checkbox]):not([type=radio]):visible,"
    " main form select:visible, main form textarea:visible, main form button:visible"
)

LINES = "main form input:not([type=hidden]):visible, main form select:visible"


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def boxes(locator) -> list[dict]:
    return [
        box
        for box in locator.evaluate_all(
            "nodes => nodes.map(n => ({...n.getBoundingClientRect().toJSON(),"
            " name: n.getAttribute('name') || n.textContent.trim().slice(0, 30)}))"
        )
        if box["width"]
    ]


def first_screen(page, name: str) -> None:
    TEST_OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(TEST_OUTPUT / f"{name}.png"))


def assert_thumb_sized(page) -> None:
    controls = boxes(page.locator(CONTROLS))
    assert controls
    small = [c["name"] for c in controls if c["height"] < THUMB - 0.5]
    assert small == []
    # one line of text is not drawn as a tall box either
    lines = boxes(page.locator(LINES))
    assert lines and [c["name"] for c in lines if c["height"] > 1.5 * THUMB] == []
    assert max(c["right"] for c in controls) <= PHONE["width"]
    assert page_width(page) <= PHONE["width"]


def assert_labels_above(page, selector: str) -> None:
    """Each visible field's label ends above the field (a label holding its field by a <span>)."""
    pairs = page.locator(selector).evaluate_all(
        """labels => labels.filter(l => l.offsetParent).map(l => {
            const field = l.htmlFor ? document.getElementById(l.htmlFor)
                : l.querySelector('input:not([type=checkbox]), select, textarea');
            const text = l.htmlFor ? l : l.querySelector('span');
            if (!field || !text || !field.offsetParent) return null;
            if (l.htmlFor && l.contains(field)) return null;  // a tick box and its words
            if (field.type === 'checkbox' || field.type === 'radio') return null;
            return [text.getBoundingClientRect().bottom, field.getBoundingClientRect().top];
        }).filter(Boolean)"""
    )
    assert pairs
    assert all(label_bottom <= field_top + 1 for label_bottom, field_top in pairs)


def test_the_plan_on_a_phone(page, demo_site, login, screenshot):
    page.set_viewport_size(PHONE)
    login(page, demo_site, "thanhdong.daumoi")
    plan = Plan.objects.get(unit__code="31-THANHDONG")
    page.goto(f"{demo_site}/plans/{plan.pk}/")
    first_screen(page, "plan-phone-first-screen")
    screenshot(page, "plan-phone")

    # the tasks begin on the first screen, and nothing is wider than the screen
    first = page.locator("tr.task-row").first
    expect(first).to_be_visible()
    assert first.bounding_box()["y"] < PHONE["height"]
    assert page_width(page) <= PHONE["width"]

    # every action of the plan is in one menu: no button beside it on a phone
    actions = page.locator(".page-head .actions")
    menu = actions.locator("details.action-menu")
    expect(menu).to_have_count(1)
    expect(actions.locator(":scope > :visible")).to_have_count(1)
    menu.locator("summary").click()
    items = menu.locator(".action-menu-body a:visible, .action-menu-body button:visible")
    hrefs = items.evaluate_all("nodes => nodes.map(n => n.getAttribute('href') || n.form.action)")
    for path in (
        f"/plans/{plan.pk}/edit/",
        f"/plans/{plan.pk}/tasks/new/",
        f"/plans/{plan.pk}/import/",
        f"/plans/{plan.pk}/export.xlsx",
        f"/plans/{plan.pk}/roll-over/",
        f"/history/plan/{plan.pk}/",
    ):
        assert any(href.endswith(path) for href in hrefs), path
    assert any("/reports/" in href for href in hrefs)  # the plan's .docx, issued again
    assert all(box["height"] >= THUMB - 0.5 for box in boxes(items))
    assert max(box["right"] for box in boxes(items)) <= PHONE["width"]
    first_screen(page, "plan-phone-actions-menu")
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")

    # the folded parts open with a tap; their forms and the filters are thumb-sized
    for fold in page.locator("details[data-fold-phone]").all():
        fold.locator("summary").click()
    assert_thumb_sized(page)
    assert_labels_above(page, "main form label")
    screenshot(page, "plan-phone-unfolded")

    # the task page and its progress form
    page.goto(f"{demo_site}/plans/{plan.pk}/")
    page.locator("tr.task-row a").first.click()
    page.wait_for_url("**/plans/tasks/**")
    expect(page.locator("#progress-form")).to_be_visible()
    assert_thumb_sized(page)
    assert_labels_above(page, "main form label")
    screenshot(page, "task-phone")

    # and the task's form, opened from it
    page.locator(".page-head .actions a[href$='/edit/']").click()
    page.wait_for_url("**/plans/tasks/*/edit/")
    assert_thumb_sized(page)
    assert_labels_above(page, "main form label")
    ticks = boxes(page.locator("main form label:has(> input[type=checkbox])"))
    assert ticks and min(box["height"] for box in ticks) >= THUMB - 0.5
    screenshot(page, "task-form-phone")


def test_the_plan_on_a_wide_screen(page, demo_site, login, screenshot):
    login(page, demo_site, "thanhdong.daumoi")
    plan = Plan.objects.get(unit__code="31-THANHDONG")
    page.goto(f"{demo_site}/plans/{plan.pk}/")
    actions = page.locator(".page-head .actions")
    # the main one or two actions stay buttons, the rest are in the menu beside them
    beside = actions.locator(":scope > :visible:not(details)")
    assert 1 <= beside.count() <= 2
    menu = actions.locator("details.action-menu")
    expect(menu).to_be_visible()
    menu.locator("summary").click()
    expect(menu.locator(f".action-menu-body a[href='/plans/{plan.pk}/edit/']")).to_be_visible()
    # what is a button beside the menu is not in it again
    shown = menu.locator(".action-menu-body a:visible").evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('href'))"
    )
    assert f"/plans/{plan.pk}/tasks/new/" not in shown
    # the folded parts of a phone are open here
    for fold in page.locator("details[data-fold-phone]").all():
        expect(fold).to_have_attribute("open", "")
    screenshot(page, "plan-wide")
