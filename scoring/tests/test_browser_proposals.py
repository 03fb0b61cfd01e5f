"""The demo's Đông Quang self-assessment through the pages: its criteria bound to the data open
already proposed from its plan, reports, inspections and surveys, each with its figure and the
records behind it; the focal officer accepts one, overrides another with the reason, the
self-assessment is submitted, and the province's appraiser sees the proposals, the scores and
the reason side by side."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from org.models import User
from scoring import demo as scoring_demo
from scoring import services
from scoring.models import Assessment, AssessmentStatus, Source, SubmissionStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Nhiệm vụ tổ chức hội nghị đã hoàn thành ngày 28/02, phần mềm chưa cập nhật."


def _finish_the_rest(assessment: Assessment) -> None:
    """What the departments do between the two visits: the other bound criteria accepted, the
    rest scored, every part handed in and accepted, the leadership's approval."""
    focal = User.objects.get(username="dongquang.daumoi")
    for score in assessment.scores.exclude(criterion__rule="").exclude(
        criterion__source=Source.SURVEY
    ):
        if not score.proposal_choice and score.proposed_points is not None:
            services.accept_proposal(score, focal)
    scoring_demo._score_all(assessment, focal, 0, share=100, bound=False)
    for part in assessment.submissions.filter(status=SubmissionStatus.DRAFT):
        services.submit_department(part, focal)
    for part in assessment.submissions.filter(status=SubmissionStatus.SUBMITTED):
        services.review_department(part, focal, accept=True)
    leader = User.objects.get(username="dongquang.phochutich")
    services.approve(Assessment.objects.get(pk=assessment.pk), leader)


def test_proposals_accepted_overridden_submitted_and_seen_by_the_appraiser(
    page, demo_site, login, screenshot
):
    base = demo_site
    assessment = Assessment.objects.get(unit__code="38-DONGQUANG")
    assert assessment.status == AssessmentStatus.DRAFT
    url = f"{base}/scoring/assessments/{assessment.pk}/"

    login(page, base, "dongquang.daumoi")
    page.goto(url)
    # Opened already proposed: the plan, the tasks, the reports, the findings, the survey.
    for code in ("1.1.1", "1.2", "1.3", "1.4", "8.1"):
        row = "#row-" + code.replace(".", "\\.")
        expect(page.locator(f"{row} .proposed")).to_contain_text(re.compile(r"\d"))
    expect(page.locator("#row-1\\.2 .proposal-figure")).to_contain_text(
        re.compile("tasks done on time|nhiệm vụ hoàn thành đúng hạn")
    )
    screenshot(page, "scoring-proposals-assessment")

    # 1.1.1: the plan issued in January; its record is the evidence, nothing uploaded.
    plan_score = assessment.scores.get(criterion__code="1.1.1")
    page.goto(f"{base}/scoring/scores/{plan_score.pk}/")
    expect(page.locator("#proposal-figure")).to_contain_text("12/KH-UBND")
    expect(page.locator("#proposal-links a").first).to_have_attribute(
        "href", re.compile(r"^/plans/\d+/$")
    )
    page.click("#accept-form button")
    expect(page.locator("#proposal-choice")).to_have_class(re.compile("proposal-accepted"))
    expect(page.locator("#self-points")).to_have_text("1")

    # 1.2: the department knows better than the records; it overrides with the reason.
    tasks_score = assessment.scores.get(criterion__code="1.2")
    page.goto(f"{base}/scoring/scores/{tasks_score.pk}/")
    expect(page.locator("#proposal-links li").first).to_be_visible()
    proposed = page.locator("#proposed-points").inner_text()
    page.click("details.override summary")
    page.fill("#id_override_value", "100")
    page.click("#override-form button")  # no reason: refused, nothing saved
    expect(page.locator("#proposal-choice")).to_have_count(0)
    if not page.locator("#id_override_value").is_visible():
        page.click("details.override summary")
    page.fill("#id_override_value", "100")
    page.fill("#id_override_reason", REASON)
    page.click("#override-form button")
    expect(page.locator("#proposal-choice")).to_have_class(re.compile("proposal-overridden"))
    expect(page.locator("#self-points")).to_have_text("2")
    screenshot(page, "scoring-proposals-override")

    _finish_the_rest(assessment)
    page.goto(url)
    page.click("button[value=submit]")
    expect(page.locator("#assessment-status")).to_have_class(re.compile("submitted"))
    frozen = assessment.scores.get(criterion__code="1.2")
    assert frozen.proposal_frozen_at is not None

    # The province's appraiser: the proposal, the commune's score and its reason, side by side.
    login(page, base, scoring_demo.APPRAISER)
    page.goto(url)
    row = page.locator("#row-1\\.2")
    expect(row.locator(".proposed")).to_contain_text(proposed)
    expect(row.locator(".override-reason")).to_contain_text("hội nghị")
    page.goto(f"{base}/scoring/scores/{tasks_score.pk}/")
    expect(page.locator("#proposed-points")).to_have_text(proposed)
    expect(page.locator("#self-points")).to_have_text("2")
    expect(page.locator("#override-reason")).to_contain_text(REASON)
    expect(page.locator("#appraise-form")).to_be_visible()
    expect(page.locator("#accept-form")).to_have_count(0)
    screenshot(page, "scoring-proposals-appraiser")
