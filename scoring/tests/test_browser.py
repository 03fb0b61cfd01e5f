"""End to end, one period: import criteria, assign from seed 000, self-score with evidence,
hand in, accept, approve, submit, appraise, answer, close and rank."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from org import demo as org_demo
from org.models import Unit
from scoring import services
from scoring.models import Assessment, AssessmentStatus, Framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CRITERIA = "\n".join(
    [
        "Mã,Tên tiêu chí,Điểm tối đa,Cách chấm,Thang điểm,Tài liệu kiểm chứng,Nguồn",
        "1,Công tác chỉ đạo điều hành,60,Tổng,,,",
        "1.1,Ban hành kế hoạch CCHC và kế hoạch tuyên truyền CCHC hàng năm,30,Có/Không,,"
        "Kế hoạch CCHC,Tự đánh giá",
        '1.2,"Thực hiện cơ chế một cửa, một cửa liên thông (tỷ lệ hồ sơ)",30,Theo tỷ lệ,'
        '"100%: 30; từ 80% đến dưới 100%: 15; dưới 80%: 0",Báo cáo,Tự đánh giá',
        "2,Sự hài lòng của người dân (điều tra xã hội học),40,Tổng,,,",
        "2.1,Chỉ số hài lòng,40,Điều tra XHH,,,Điều tra XHH",
    ]
)
SEED = next((Path(settings.BASE_DIR) / "fixtures" / "seeds").glob("000_*.txt"))


def score_with_evidence(page, base: str, assessment: Assessment, code: str, value: str, tmp_path):
    score = assessment.scores.get(criterion__code=code)
    page.goto(f"{base}/scoring/scores/{score.pk}/")
    page.fill("#id_value", value)
    page.click("#score-form button[type=submit]")
    expect(page.locator("#self-points")).to_have_text(re.compile(r"\d"))
    product = tmp_path / f"minh-chung-{code}.pdf"
    product.write_bytes(b"%PDF-1.4\n% minh chung\n%%EOF\n")
    page.fill("#id_title", f"Minh chứng {code}")
    page.fill("#id_document_number", "12/KH-UBND")
    page.fill("#id_document_date", "2026-01-10")
    page.set_input_files("#id_file", str(product))
    page.click("#evidence-form button[type=submit]")
    expect(page.locator("#evidence .files")).to_contain_text(f"Minh chứng {code}")


def action(page, name: str) -> None:
    page.click(f"button[name=action][value={name}]")


def test_one_period_end_to_end(page, live_server, login, screenshot, tmp_path):
    org_demo.load()
    base = live_server.url
    province = Unit.objects.get(code="38")
    framework = services.create_framework(
        province, year=2026, name="Bộ tiêu chí thử 2026", decision_number="4116/QĐ-UBND"
    )
    period = services.create_period(
        framework,
        kind="six_month",
        name="Đánh giá 6 tháng 2026",
        department_due=date(2099, 6, 21),
        submission_due=date(2099, 6, 30),
    )

    # The administrator imports the criteria from the template.
    login(page, base, "quantri")
    page.goto(f"{base}/scoring/frameworks/{framework.pk}/")
    template = tmp_path / "bo-tieu-chi.csv"
    template.write_text(CRITERIA, encoding="utf-8")
    page.set_input_files("input[name=file]", str(template))
    page.click("form[action$='/import/'] button[type=submit]")
    expect(page.locator("table.scoring-table tbody tr")).to_have_count(5)

    # The focal officer assigns the criteria from seed 000's section II.
    login(page, base, "dongquang.daumoi")
    page.goto(f"{base}/scoring/frameworks/{framework.pk}/assign/")
    page.set_input_files("input[name=document]", str(SEED))
    page.click("#assign-import button[type=submit]")
    expect(page.locator("#assign-1\\.1 select").first).to_have_value(
        str(Unit.objects.get(code="38-DONGQUANG").departments.get(short_name="VHXH").pk)
    )
    assert page.locator("#unassigned").count() == 0
    screenshot(page, "scoring-assignments")

    page.goto(f"{base}/scoring/")
    page.click(f"form[action='/scoring/periods/{period.pk}/open/'] button")
    assessment = Assessment.objects.get(period=period)
    expect(page.locator("#assessment-status")).to_be_visible()

    # The one-stop centre's head scores its criterion with evidence and hands it in.
    login(page, base, "dongquang.ttpvhcc")
    score_with_evidence(page, base, assessment, "1.2", "100", tmp_path)
    page.goto(f"{base}/scoring/assessments/{assessment.pk}/")
    centre = assessment.unit.departments.get(short_name="TTPVHCC")
    page.click(f"#submission-{centre.pk} button")
    expect(page.locator(f"#submission-{centre.pk} .badge")).to_have_class(re.compile("submitted"))

    # The focal officer scores the culture division's criterion, hands it in, accepts both.
    login(page, base, "dongquang.daumoi")
    page.goto(f"{base}/scoring/assessments/{assessment.pk}/")
    culture = assessment.unit.departments.get(short_name="VHXH")
    page.click(f"#submission-{culture.pk} button")
    expect(page.locator("#problems")).to_contain_text("1.1")  # not scored: blocked
    score_with_evidence(page, base, assessment, "1.1", "1", tmp_path)
    page.goto(f"{base}/scoring/assessments/{assessment.pk}/")
    page.click(f"#submission-{culture.pk} button")
    for department in (culture, centre):
        page.click(f"#submission-{department.pk} button[value=accept]")
        expect(page.locator(f"#submission-{department.pk} .badge")).to_have_class(
            re.compile("accepted")
        )
    screenshot(page, "scoring-assessment-accepted")

    # Leadership approves and submits; the scores are locked.
    login(page, base, "dongquang.phochutich")
    page.goto(f"{base}/scoring/assessments/{assessment.pk}/")
    action(page, "approve")
    action(page, "submit")
    expect(page.locator("#assessment-status")).to_have_class(re.compile("submitted"))

    # The province appraises: 1.1 lowered with a reason, survey points entered, sent.
    login(page, base, "sonoivu.thanhhoa")
    for code, points, reason in (("1.1", "15", "Kế hoạch ban hành muộn"), ("2.1", "32", "")):
        score = assessment.scores.get(criterion__code=code)
        page.goto(f"{base}/scoring/scores/{score.pk}/")
        assert page.locator("#score-form").count() == 0  # never the commune's self-score
        page.fill("#id_points", points)
        page.fill("#id_reason", reason)
        page.click("#appraise-form button[type=submit]")
        expect(page.locator("#appraised-points")).to_contain_text(points)
    page.goto(f"{base}/scoring/assessments/{assessment.pk}/")
    action(page, "send_appraisal")
    expect(page.locator("#assessment-status")).to_have_class(re.compile("appraised"))

    # The commune answers once, on the criterion's page.
    login(page, base, "dongquang.daumoi")
    score = assessment.scores.get(criterion__code="1.1")
    page.goto(f"{base}/scoring/scores/{score.pk}/")
    page.fill("#id_answer", "Kế hoạch ban hành ngày 10/01/2026, gửi kèm văn bản")
    page.click("#answer-form button[type=submit]")
    page.goto(f"{base}/scoring/assessments/{assessment.pk}/")
    action(page, "answer")
    expect(page.locator("#assessment-status")).to_have_class(re.compile("answered"))

    # The province accepts the answer and closes with final scores.
    login(page, base, "sonoivu.thanhhoa")
    page.goto(f"{base}/scoring/scores/{score.pk}/")
    page.check("input[name=decision][value=accept]")
    page.fill("#id_final", "30")
    page.click("#decide-form button[type=submit]")
    page.goto(f"{base}/scoring/assessments/{assessment.pk}/")
    action(page, "close")
    page.click("#confirm-close button[value=close]")
    expect(page.locator("#assessment-status")).to_have_class(re.compile("closed"))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.CLOSED
    assert assessment.index == 92  # (30 + 30 + 32) / 100

    page.goto(f"{base}/scoring/periods/{period.pk}/ranking/")
    expect(page.locator("#ranking tbody tr").first).to_contain_text("Đông Quang")
    expect(page.locator("#ranking tbody tr").first).to_contain_text("92")
    screenshot(page, "scoring-ranking")
    page.goto(f"{base}/scoring/assessments/{assessment.pk}/results/")
    expect(page.locator("#result-index")).to_have_text("92")
    screenshot(page, "scoring-results")
    assert Framework.objects.count() == 1
