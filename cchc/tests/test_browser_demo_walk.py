"""End to end over the whole demo: every demo account logs in, opens every entry of the main
menu it is shown (the entries of its groups too) and finds real data behind each: the page
answers 200, its main area has a heading and content, and it shows no empty state (the
`empty` class that every "No … yet" placeholder carries) unless the person legitimately has
nothing there (`nothing_there`, each with its reason).

The accounts are the demo's own (every active user the demo gave its password), so an account a
new demo adds is walked too, and every account of README's table must be among them; the menu
is read from the page, so a new entry is walked too."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from org.demo import DEMO_PASSWORD
from org.models import Role, RoleGrant, User

pytestmark = pytest.mark.browser

README = Path(settings.BASE_DIR) / "README.md"
WIDTH = 1280
# What a page shows, read in one go: its main area's headings and text, the page's width, and
# the text of every empty state in the main area.
FACTS = """() => {
  const main = document.querySelector("main");
  return {
    headings: main.querySelectorAll("h1").length,
    text: main.innerText.trim().length,
    width: document.documentElement.scrollWidth,
    empty: [...main.querySelectorAll(".empty")].map(e => e.innerText.replace(/\\s+/g, " ").trim()),
  };
}"""


def nothing_there() -> dict[tuple[str, str], str]:
    """Menu entries where one account, or everyone of a role, legitimately has nothing: why."""
    return {
        ("quantri", reverse("notify_work")): "the system administrator takes part in no "
        "workflow, so no work is ever handed to them",
        ("sonoivu.haiphong", reverse("notify_work")): "both Hải Phòng communes owe the province "
        "their next PAR-index step (README): Thành Đông its answer, Thái Tân its self-assessment",
        (Role.APPRAISER, reverse("dashboard")): "one commune's dashboard: the province opens it "
        "on a commune chosen in the unit switcher, its own unit has no plan",
        (Role.APPRAISER, reverse("inspection_home")): "one commune's inspection plans: the "
        "province has none of its own, it follows the communes' findings under Findings",
        (Role.APPRAISER, reverse("survey_home")): "one commune's surveys: the province runs "
        "none of its own",
    }


def readme_accounts() -> set[str]:
    """The accounts of README's table of demo accounts."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index("| account | role |")
    names: set[str] = set()
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        names.update(re.findall(r"`([^`]+)`", line.split("|")[1]))
    return names


@pytest.fixture(scope="module")
def demo_accounts(django_db_setup, django_db_blocker):
    """The demo, built once for the module; its accounts (username → roles held)."""
    started = time.monotonic()
    with django_db_blocker.unblock():
        call_command("load_demo", "--quiet")
        people = User.objects.filter(is_active=True).order_by("username")
        accounts = {u.username: set() for u in people if u.check_password(DEMO_PASSWORD)}
        for username, role in RoleGrant.objects.filter(user__username__in=accounts).values_list(
            "user__username", "role"
        ):
            accounts[username].add(role)
    print(f"demo loaded in {time.monotonic() - started:.0f} s")
    yield accounts
    with django_db_blocker.unblock():  # whatever ran after it, leave no demo behind
        call_command("flush", interactive=False, verbosity=0)


def _menu(page) -> list[str]:
    """The links of the main menu as the person sees them: the top entries, then each group
    opened in turn."""
    hrefs = page.locator("#mainnav > a").evaluate_all("ns => ns.map(n => n.getAttribute('href'))")
    groups = page.locator("#mainnav details[data-menu-group]")
    for index in range(groups.count()):
        group = groups.nth(index)
        group.locator("summary").click()
        links = group.locator(".navgroup-body a")
        expect(links.first).to_be_visible()
        hrefs += links.evaluate_all("ns => ns.map(n => n.getAttribute('href'))")
        page.keyboard.press("Escape")
        expect(group).not_to_have_attribute("open", "")
    return hrefs


def _excused(username: str, roles: set[str], href: str, excuses: dict) -> tuple | None:
    for key in [(username, href), *((role, href) for role in sorted(roles))]:
        if key in excuses:
            return key
    return None


def test_every_demo_account_finds_data_behind_every_menu_entry(
    browser, live_server, demo_accounts, login, screenshot
):
    base = live_server.url
    excuses = nothing_there()
    listed = readme_accounts()
    assert len(listed) >= 19
    # The README's table of demo accounts names accounts that exist.
    problems = [
        f"{name}: in the README, not in the demo" for name in sorted(listed - set(demo_accounts))
    ]
    used: set[tuple] = set()
    opened = 0
    started = time.monotonic()
    for username, roles in demo_accounts.items():
        context = browser.new_context(locale="vi-VN", viewport={"width": WIDTH, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m, errors=errors: m.type == "error" and errors.append(m.text))
        login(page, base, username)
        screenshot(page, f"demo-walk-{username}")
        entries = _menu(page)
        if "/" not in entries or len(entries) != len(set(entries)):
            problems.append(f"{username}: menu {entries}")
        for href in entries:
            where = f"{username} {href}"
            opened += 1
            if page.url != base + href:  # the home page is where logging in lands
                response = page.goto(base + href, wait_until="domcontentloaded")
                if response is None or response.status != 200:
                    problems.append(f"{where}: HTTP {response.status if response else None}")
                    continue
            facts = page.evaluate(FACTS)
            if facts["headings"] != 1 or not facts["text"]:
                problems.append(f"{where}: the main area has no heading or no content")
            if facts["width"] > WIDTH:
                problems.append(f"{where}: wider than the screen ({facts['width']} px)")
            empty = facts["empty"]
            excuse = _excused(username, roles, href, excuses)
            if empty and excuse:
                used.add(excuse)
            elif empty:
                problems.append(f"{where}: empty state {empty}")
        if errors:
            problems.append(f"{username}: console errors {errors}")
        context.close()
    elapsed = time.monotonic() - started
    print(f"{len(demo_accounts)} accounts, {opened} pages in {elapsed:.0f} s")
    # An excuse that no longer applies goes: the pages it excused have data now.
    problems += [f"{key}: nothing to excuse any more" for key in set(excuses) - used]
    assert not problems, "\n".join(problems)
    assert opened >= 12 * len(demo_accounts)
