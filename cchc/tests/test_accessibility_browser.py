"""End to end: axe-core (pinned through axe-playwright-python) over the main pages of every role of
the demo — the login page, the home page, every entry of the main menu and one page of each main
object reached from them — with no violation of impact "serious" or "critical"."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCOUNTS = (
    "quantri",  # system administrator
    "sonoivu.haiphong",  # province appraiser
    "thanhdong.chutich",  # commune leadership
    "thanhdong.daumoi",  # focal officer
    "thanhdong.vhxh",  # department head
    "thanhdong.congchuc",  # officer
)
# The demo's inspection findings are in Thành Sen, not in Thành Đông: an officer of Thành Sen who
# must answer one walks the inspections pages only, from there to a finding with its forms.
INSPECTED = ("thanhsen.congchuc", "/inspections/")

# Lists a step away from the menu, followed on the way to the objects below.
LISTS = (re.compile(r"^/inspections/findings/$"),)

# One page of each main object, found among the links of the pages visited before.
DETAILS = {
    "plan": re.compile(r"^/plans/\d+/$"),
    "task": re.compile(r"^/plans/tasks/\d+/$"),
    "report period": re.compile(r"^/reports/periods/\d+/$"),
    "assessment": re.compile(r"^/scoring/assessments/\d+/$"),
    "finding": re.compile(r"^/inspections/findings/\d+/$"),
    "inspection plan": re.compile(r"^/inspections/plans/\d+/$"),
    "request": re.compile(r"^/requests/\d+/$"),
    "survey campaign": re.compile(r"^/surveys/campaigns/\d+/$"),
}

FAILING = {"serious", "critical"}
# axe keeps these off by default (obsolete in WCAG 2.2) or leaves them for a person to review; on
# pages drawn by the server each one is a fault all the same (an id given twice, which a label, an
# ARIA attribute or an HTMX target then finds the wrong way; an ARIA reference to an id that is not
# on the page), so they count whatever their impact.
STRICT = {"duplicate-id", "duplicate-id-active", "duplicate-id-aria", "aria-valid-attr-value"}

AXE = Axe()
OPTIONS = {
    "resultTypes": ["violations", "incomplete"],
    "preload": False,
    "rules": {"duplicate-id": {"enabled": True}, "duplicate-id-active": {"enabled": True}},
}
LINKS = """nodes => [...new Set(nodes.map(n => new URL(n.href).pathname))]"""


@dataclass
class Findings:
    failures: list[str] = field(default_factory=list)
    tally: Counter = field(default_factory=Counter)  # "rule (impact)" -> nodes, every impact
    pages: dict[str, list[str]] = field(default_factory=dict)  # who -> paths checked

    def add(self, who: str, url: str, results: dict) -> None:
        self.pages.setdefault(who, []).append(url)
        faults = results["violations"] + [r for r in results["incomplete"] if r["id"] in STRICT]
        for rule in faults:
            self.tally[f"{rule['id']} ({rule['impact']})"] += len(rule["nodes"])
            if rule["impact"] in FAILING or rule["id"] in STRICT:
                targets = "; ".join(" ".join(map(str, n["target"])) for n in rule["nodes"][:3])
                self.failures.append(
                    f"{rule['id']} [{rule['impact']}] {url} ({who}, {len(rule['nodes'])}"
                    f" elements): {targets}"
                )


def check(page, url: str) -> dict:
    page.goto(url)
    # the forms folded in the page's <details> are opened, so that axe sees them too
    page.evaluate("document.querySelectorAll('main details').forEach(d => { d.open = true; })")
    return AXE.run(page, options=OPTIONS).response


def walk(page, base: str, who: str, findings: Findings, start: str = "") -> dict[str, str]:
    """Home and the menu's entries (or the one page given), the lists a step away, then one page
    of each kind of object linked from any of them; the kinds reached and their pages."""
    menu = [start] if start else ["/", *page.locator("nav#mainnav a[href]").evaluate_all(LINKS)]
    assert start or len(menu) > 4, f"{who} has too short a menu: {menu}"
    queue = list(dict.fromkeys(menu))
    chosen: dict[str, str] = {}
    while queue:
        path = queue.pop(0)
        findings.add(who, path, check(page, base + path))
        for link in page.locator("main a[href]").evaluate_all(LINKS):
            if any(p.match(link) for p in LISTS) and link not in menu:
                menu.append(link)
                queue.insert(0, link)
            for kind, pattern in DETAILS.items():
                if kind not in chosen and pattern.match(link):
                    chosen[kind] = link
                    queue.append(link)
    return chosen


def test_main_pages_of_every_role_have_no_serious_accessibility_fault(page, demo_site, login):
    findings = Findings()
    page.context.clear_cookies()
    findings.add("logged out", "/accounts/login/", check(page, f"{demo_site}/accounts/login/"))
    reached = {}
    for username in ACCOUNTS:
        login(page, demo_site, username)
        reached[username] = walk(page, demo_site, username, findings)
    username, start = INSPECTED
    login(page, demo_site, username)
    reached[username] = walk(page, demo_site, username, findings, start)

    for who, paths in findings.pages.items():
        print(who, len(paths), "pages:", " ".join(paths))
    print("axe found:", dict(sorted(findings.tally.items())))
    assert all(len(findings.pages[who]) > 12 and reached[who] for who in ACCOUNTS)
    assert "finding" in reached[username]
    assert not findings.failures, (
        f"{len(findings.failures)} accessibility faults to fix"
        f" ({dict(findings.tally)}):\n" + "\n".join(findings.failures)
    )
