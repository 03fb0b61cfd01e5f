"""A department head scores sixteen criteria on one page, attaches evidence and hands them in,
in at most three page loads."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

from core import clock
from org import demo as org_demo
from org.models import Department, Unit
from scoring import services
from scoring.models import (
    Assessment,
    DepartmentSubmission,
    Method,
    SubmissionStatus,
    UnitGroup,
)
from scoring.services import CriterionData

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIERS = "100%: 2; từ 80% đến dưới 100%: 1; dưới 80%: 0"


def criteria() -> list[CriterionData]:
    """Two areas of eight leaves: yes or no, tiers, deduction per occurrence and manual."""
    rows = [CriterionData("1", "Công tác chỉ đạo, điều hành cải cách hành chính", D(16), "sum")]
    for n in range(1, 5):
        rows.append(
            CriterionData(f"1.{n}", f"Ban hành văn bản chỉ đạo số {n} đúng hạn", D(2), "yes_no")
        )
    for n in range(5, 9):
        rows.append(
            CriterionData(
                f"1.{n}",
                f"Tỷ lệ hoàn thành nhiệm vụ nhóm {n} theo kế hoạch cải cách hành chính năm của "
                "Ủy ban nhân dân phường, tính trên tổng số nhiệm vụ được giao trong kỳ đánh giá",
                D(2),
                Method.TIERS,
                tiers=services.parse_tiers(TIERS),
            )
        )
    rows.append(CriterionData("2", "Thực hiện thủ tục hành chính", D(16), Method.SUM))
    for n in range(1, 5):
        rows.append(
            CriterionData(
                f"2.{n}", f"Hồ sơ trễ hạn loại {n}", D(2), Method.DEDUCTION, deduction=D("0.5")
            )
        )
    for n in range(5, 9):
        rows.append(CriterionData(f"2.{n}", f"Công khai thủ tục nhóm {n}", D(2), Method.MANUAL))
    return rows


# code: (what is entered, points expected, evidence file attached)
ENTRIES = {
    "1.1": ("tick", D(2), True),
    "1.2": ("tick", D(2), True),
    "1.3": ("untick", D(0), False),
    "1.4": ("untick", D(0), False),
    "1.5": ("100", D(2), True),
    "1.6": ("75", D(0), False),
    "1.7": ("60", D(0), False),
    "1.8": ("0", D(0), False),
    "2.1": ("0", D(2), False),  # nothing to deduct: full points, no evidence needed
    "2.2": ("0", D(2), False),
    "2.3": ("0", D(2), False),
    "2.4": ("4", D(0), False),
    "2.5": ("1,5", D("1.5"), True),
    "2.6": ("0", D(0), False),
    "2.7": ("0", D(0), False),
    "2.8": ("0", D(0), False),
}


def centre_scores_everything() -> tuple[Assessment, Department]:
    """Đông Quang's one-stop centre answers for every criterion of the framework."""
    org_demo.load()
    province = Unit.objects.get(code="38")
    unit = Unit.objects.get(code="38-DONGQUANG")
    centre = unit.departments.get(short_name="TTPVHCC")
    framework = services.create_framework(province, year=2026, name="Bộ tiêu chí thử 2026")
    criteria_set = services.add_set(framework, UnitGroup.COMMUNE_LEVEL, "Xã, phường", criteria())
    period = services.create_period(
        framework,
        kind="six_month",
        name="Đánh giá 6 tháng 2026",
        department_due=date(2099, 6, 21),
        submission_due=date(2099, 6, 30),
    )
    for criterion in services.leaves(criteria_set):
        services.assign(unit, criterion, centre)
    return services.open_assessment(period, unit), centre


def test_sixteen_criteria_scored_and_handed_in_from_one_page(
    page, live_server, login, screenshot, tmp_path
):
    base = live_server.url
    assessment, centre = centre_scores_everything()
    # The province's due date for this commune has passed three days ago.
    due = clock.today() - timedelta(days=3)
    Assessment.objects.filter(pk=assessment.pk).update(department_due=due)
    scores = {s.criterion.code: s for s in assessment.scores.select_related("criterion")}
    assert len(scores) == 16
    proof = tmp_path / "minh-chung.pdf"
    proof.write_bytes(b"%PDF-1.4\n% minh chung\n%%EOF\n")

    login(page, base, "dongquang.ttpvhcc")
    loads = []
    page.on("load", lambda: loads.append(page.url))

    page.goto(f"{base}/scoring/assessments/{assessment.pk}/grid/")
    expect(page.locator("tr.grid-row")).to_have_count(16)
    expect(page.locator("#past-due")).to_contain_text(due.strftime("%d/%m/%Y"))
    expect(page.locator("#grid-todo li")).to_have_count(16)

    def saved(code: str, act) -> None:
        """Do `act` in a row and wait for the row to come back."""
        with page.expect_response(re.compile(rf"/scores/{scores[code].pk}/row/$")) as answer:
            act()
        assert answer.value.status == 200

    # A ratio above 100 is refused in its row; what was typed stays to be corrected.
    ratio = page.locator(f"#v-{scores['1.5'].pk}")
    saved("1.5", lambda: (ratio.fill("150"), ratio.press("Tab")))
    expect(page.locator(f"#score-{scores['1.5'].pk} .grid-error")).to_contain_text("100")
    expect(ratio).to_have_value("150")
    screenshot(page, "scoring-grid-start")

    for code, (entry, points, attach) in ENTRIES.items():
        row = page.locator(f"#score-{scores[code].pk}")
        value = row.locator(f"#v-{scores[code].pk}")
        if entry == "tick":
            saved(code, value.check)
        elif entry != "untick":
            saved(code, lambda value=value, entry=entry: (value.fill(entry), value.press("Tab")))
        if points == 0:  # nothing earned: said why
            note = row.locator("textarea[name=explanation]")
            saved(code, lambda note=note: (note.fill("Chưa thực hiện trong kỳ"), note.blur()))
        if attach:
            row.locator(".grid-picker summary").click()
            row.locator("input[name=file]").set_input_files(str(proof))
            row.locator("input[name=document_number]").fill(f"{code}/KH-UBND")
            row.locator("input[name=document_date]").fill("2026-01-10")
            saved(code, row.locator(".grid-evidence-form button").click)
            expect(row.locator(".files")).to_contain_text("minh-chung.pdf")
        expect(row.locator(f"#pts-{scores[code].pk}")).to_have_text(
            re.compile(rf"^{points.normalize():f}".replace(".", "[.,]"))
        )

    expect(page.locator("#grid-todo")).to_have_class(re.compile("ok"))
    screenshot(page, "scoring-grid")
    # The same rows on a phone: one under the other, nothing wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "scoring-grid-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("#hand-in button")
    expect(page.locator("#submission-status")).to_have_class(re.compile("status-submitted"))
    screenshot(page, "scoring-grid-handed-in")

    print("grid_page_loads", len(loads))
    assert len(loads) <= 3, loads

    submission = assessment.submissions.get(department=centre)
    assert submission.status == SubmissionStatus.SUBMITTED
    for code, (_entry, points, attach) in ENTRIES.items():
        score = assessment.scores.get(criterion__code=code)
        assert score.self_points == points, code
        assert score.evidence.count() == (1 if attach else 0), code
    assert assessment.scores.get(criterion__code="1.3").value == 0

    # The assessment page leads to the grid.
    page.goto(f"{base}/scoring/assessments/{assessment.pk}/")
    expect(page.locator("#grid-link")).to_have_attribute(
        "href", f"/scoring/assessments/{assessment.pk}/grid/"
    )
    screenshot(page, "scoring-assessment-grid-link")


def test_a_row_locked_meanwhile_shows_why(page, live_server, login):
    base = live_server.url
    assessment, centre = centre_scores_everything()
    score = assessment.scores.get(criterion__code="1.1")
    login(page, base, "dongquang.ttpvhcc")
    page.goto(f"{base}/scoring/assessments/{assessment.pk}/grid/")
    # Handed in from another tab while this page stays open.
    DepartmentSubmission.objects.filter(assessment=assessment, department=centre).update(
        status=SubmissionStatus.SUBMITTED
    )
    with page.expect_response(re.compile(rf"/scores/{score.pk}/row/$")) as answer:
        page.check(f"#v-{score.pk}")
    assert answer.value.status == 403
    row = page.locator(f"#score-{score.pk}")
    expect(row).to_have_class(re.compile("readonly"))
    expect(row.locator(".grid-note")).to_be_visible()
    assert row.locator(f"#v-{score.pk}").count() == 0
    score.refresh_from_db()
    assert score.self_points is None
