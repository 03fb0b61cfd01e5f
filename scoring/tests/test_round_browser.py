"""A whole PAR-index round through the pages, day by day: two departments score, one part is
returned and handed in again late (the province sees the mark), the appraisal lowers two scores,
the commune answers one with a file, the appraiser accepts it (the final score changes) and keeps
the other, and every hand-off reaches the bell of the person who must act."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core import clock
from org import demo as org_demo
from org.demo import DEMO_PASSWORD
from org.models import Role, Unit
from org.tests.factories import person_with_role
from scoring import services
from scoring.models import Assessment, AssessmentStatus, Method, UnitGroup
from scoring.services import CriterionData

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = Decimal
PDF = b"%PDF-1.4\n% giai trinh\n%%EOF\n"


def criteria() -> list[CriterionData]:
    return [
        CriterionData("1", "Công tác chỉ đạo, điều hành CCHC", D(30), Method.SUM),
        CriterionData("1.1", "Ban hành kế hoạch CCHC năm đúng thời hạn", D(10), Method.YES_NO),
        CriterionData(
            "1.2",
            "Mức độ hoàn thành kế hoạch CCHC",
            D(10),
            Method.TIERS,
            tiers=services.parse_tiers("100%: 10; từ 80% đến dưới 100%: 5; dưới 80%: 0"),
        ),
        CriterionData(
            "1.3", "Báo cáo CCHC không đúng hạn", D(10), Method.DEDUCTION, deduction=D(2)
        ),
        CriterionData("2", "Thủ tục hành chính", D(20), Method.SUM),
        CriterionData("2.1", "Công khai thủ tục hành chính", D(10), Method.MANUAL),
        CriterionData("2.2", "Tiếp nhận hồ sơ trực tuyến", D(10), Method.YES_NO),
        CriterionData("3", "Điều tra xã hội học", D(50), Method.SUM),
        CriterionData("3.1", "Sự hài lòng của người dân", D(50), Method.SURVEY),
    ]


class Days:
    """The round's calendar: every rule and every stamp sees the day set here."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def go(self, day: date) -> None:
        moment = timezone.make_aware(datetime.combine(day, time(9)))
        self.monkeypatch.setattr(clock, "today", lambda: day)
        self.monkeypatch.setattr(clock, "now", lambda: moment)


def bell(page, base: str, *expected: str) -> None:
    """The person's 'My work' shows a count and lists what was handed to them."""
    page.goto(f"{base}/reminders/work/")
    expect(page.locator("nav .nav-count")).to_be_visible()
    for text in expected:
        expect(page.locator("main")).to_contain_text(text)


def score(page, base, assessment, code: str, value: str, *, tick: bool = False) -> None:
    target = assessment.scores.get(criterion__code=code)
    page.goto(f"{base}/scoring/scores/{target.pk}/")
    page.fill("#id_value", value)
    page.click("#score-form button[type=submit]")
    expect(page.locator("#self-points")).to_have_text(re.compile(r"\d"))


def evidence(page, tmp_path, title: str, number: str = "12/KH-UBND") -> None:
    product = tmp_path / f"{title}.pdf"
    product.write_bytes(PDF)
    page.fill("#id_title", title)
    page.fill("#id_document_number", number)
    page.fill("#id_document_date", "2026-01-10")
    page.set_input_files("#id_file", str(product))
    page.click("#evidence-form button[type=submit]")
    expect(page.locator("#evidence")).to_contain_text(title)


def test_a_full_round_with_a_late_part_an_answer_and_a_decision(
    page, live_server, login, screenshot, tmp_path, monkeypatch
):
    days = Days(monkeypatch)
    days.go(date(2026, 6, 12))
    org_demo.load()
    base = live_server.url
    province = Unit.objects.get(code="38")
    unit = Unit.objects.get(code="38-DONGQUANG")
    culture = unit.departments.get(short_name="VHXH")
    centre = unit.departments.get(short_name="TTPVHCC")
    culture_head = person_with_role(
        Role.DEPARTMENT_HEAD, unit, culture, username="dongquang.vhxh", full_name="Hà Văn Bình"
    )
    culture_head.set_password(DEMO_PASSWORD)
    culture_head.save()
    framework = services.create_framework(province, year=2026, name="Bộ tiêu chí thử 2026")
    services.add_set(framework, UnitGroup.COMMUNE_LEVEL, "Xã, phường", criteria())
    period = services.create_period(
        framework,
        kind="six_month",
        name="Đánh giá 6 tháng 2026",
        department_due=date(2026, 6, 21),
        submission_due=date(2026, 6, 30),
    )
    criteria_set = framework.sets.get()
    for code in ("1.1", "1.2", "1.3"):
        services.assign(unit, criteria_set.criteria.get(code=code), culture)
    for code in ("2.1", "2.2"):
        services.assign(unit, criteria_set.criteria.get(code=code), centre)
    assessment: Assessment = services.open_assessment(period, unit)
    url = f"{base}/scoring/assessments/{assessment.pk}/"

    # 12/6: both departments are asked to score; each scores and hands in.
    login(page, base, "dongquang.vhxh")
    bell(page, base, "Phòng Văn hóa - Xã hội")
    score(page, base, assessment, "1.1", "1")
    evidence(page, tmp_path, "Kế hoạch CCHC năm 2026")
    score(page, base, assessment, "1.2", "100")
    evidence(page, tmp_path, "Báo cáo kết quả thực hiện kế hoạch")
    score(page, base, assessment, "1.3", "0")  # nothing to deduct: no evidence asked
    page.goto(url)
    expect(page.locator("#next-step")).to_contain_text("21/06/2026")
    page.click(f"#submission-{culture.pk} button")
    expect(page.locator(f"#submission-{culture.pk} .badge").first).to_have_class(
        re.compile("submitted")
    )

    login(page, base, "dongquang.ttpvhcc")
    bell(page, base, "Trung tâm")
    score(page, base, assessment, "2.1", "10")
    evidence(page, tmp_path, "Danh mục TTHC niêm yết", "25/QĐ-UBND")
    score(page, base, assessment, "2.2", "1")
    evidence(page, tmp_path, "Báo cáo hồ sơ trực tuyến", "30/BC-UBND")
    page.goto(url)
    page.click(f"#submission-{centre.pk} button")

    # The focal officer returns the culture part and accepts the centre's.
    login(page, base, "dongquang.daumoi")
    bell(page, base, "Phòng Văn hóa - Xã hội", "Trung tâm")
    page.goto(url)
    page.fill(f"#submission-{culture.pk} input[name=note]", "Bổ sung số văn bản tiêu chí 1.2")
    page.click(f"#submission-{culture.pk} button[value=return]")
    page.click(f"#submission-{centre.pk} button[value=accept]")
    expect(page.locator(f"#submission-{centre.pk} .badge").first).to_have_class(
        re.compile("accepted")
    )

    # 25/6, after the departments' due date: the part goes back in, marked late.
    days.go(date(2026, 6, 25))
    login(page, base, "dongquang.vhxh")
    bell(page, base, "Bổ sung số văn bản tiêu chí 1.2")
    page.goto(url)
    expect(page.locator(f"#submission-{culture.pk}")).to_contain_text("đánh dấu nộp muộn")
    page.click(f"#submission-{culture.pk} button")
    expect(page.locator(f"#submission-{culture.pk} .late-mark")).to_contain_text("25/06/2026")

    login(page, base, "dongquang.daumoi")
    page.goto(url)
    page.click(f"#submission-{culture.pk} button[value=accept]")
    # The focal officer cannot approve; the page says who does.
    expect(page.locator("#next-step")).to_contain_text("Nguyễn Thị Thu Huyền")
    assert page.locator("button[value=approve]").count() == 0

    login(page, base, "dongquang.phochutich")
    bell(page, base, "Phê duyệt")
    page.goto(url)
    page.click("button[value=approve]")
    expect(page.locator("#assessment-status")).to_have_class(re.compile("approved"))

    days.go(date(2026, 6, 28))
    login(page, base, "dongquang.daumoi")
    bell(page, base, "lên tỉnh")
    page.goto(url)
    page.click("button[value=submit]")
    expect(page.locator("#assessment-status")).to_have_class(re.compile("submitted"))

    # 1/7: the province sees the late part, lowers two scores and sends the appraisal.
    days.go(date(2026, 7, 1))
    login(page, base, "sonoivu.thanhhoa")
    bell(page, base, "Đông Quang")
    page.goto(f"{base}/scoring/")
    expect(page.locator("#appraisal-queue")).to_contain_text("nộp muộn")
    page.goto(url)
    expect(page.locator(f"#submission-{culture.pk} .late-mark")).to_be_visible()
    screenshot(page, "scoring-round-province-sees-late-part")
    for code, points, reason in (
        ("1.1", "0", "Kế hoạch ban hành sau ngày 15/01"),
        ("2.1", "5", "Niêm yết chưa đủ thủ tục"),
        ("3.1", "40", ""),
    ):
        target = assessment.scores.get(criterion__code=code)
        page.goto(f"{base}/scoring/scores/{target.pk}/")
        page.fill("#id_points", points)
        page.fill("#id_reason", reason)
        page.click("#appraise-form button[type=submit]")
        expect(page.locator("#appraised-points")).to_contain_text(points)
    page.goto(url)
    page.click("button[value=send_appraisal]")
    expect(page.locator("#assessment-status")).to_have_class(re.compile("appraised"))

    # 3/7: the commune answers 1.1 with a file and 2.1 with text, then sends the answer.
    days.go(date(2026, 7, 3))
    login(page, base, "dongquang.daumoi")
    bell(page, base, "Giải trình")
    for code, text in (
        ("1.1", "Kế hoạch số 12/KH-UBND ban hành ngày 10/01/2026, đúng thời hạn"),
        ("2.1", "Đã niêm yết đủ tại bộ phận một cửa"),
    ):
        target = assessment.scores.get(criterion__code=code)
        page.goto(f"{base}/scoring/scores/{target.pk}/")
        page.fill("#id_answer", text)
        page.click("#answer-form button[type=submit]")
        expect(page.locator("#answer-text")).to_contain_text(text[:20])
        if code == "1.1":
            evidence(page, tmp_path, "Kế hoạch 12-KH-UBND bản ký")
            expect(page.locator("#answer-evidence")).to_contain_text("bản ký")
    page.goto(url)
    page.click("button[value=answer]")
    expect(page.locator("#assessment-status")).to_have_class(re.compile("answered"))

    # 4/7: the appraiser accepts the answer on 1.1 and keeps 2.1, then closes.
    days.go(date(2026, 7, 4))
    login(page, base, "sonoivu.thanhhoa")
    bell(page, base, "Chốt điểm")
    first = assessment.scores.get(criterion__code="1.1")
    page.goto(f"{base}/scoring/scores/{first.pk}/")
    expect(page.locator("#answer-evidence")).to_contain_text("bản ký")
    expect(page.locator("#self-points")).to_contain_text("10")
    page.check("input[name=decision][value=accept]")
    page.fill("#id_final", "10")
    page.click("#decide-form button[type=submit]")
    expect(page.locator("#final-points")).to_contain_text("10")
    second = assessment.scores.get(criterion__code="2.1")
    page.goto(f"{base}/scoring/scores/{second.pk}/")
    page.check("input[name=decision][value=keep]")
    page.fill("#id_decision_reason", "Biên bản kiểm tra ghi thiếu 3 thủ tục")
    page.click("#decide-form button[type=submit]")
    expect(page.locator("#decision")).to_contain_text("Biên bản kiểm tra")
    page.goto(url)
    page.click("button[value=close]")
    expect(page.locator("#closing-changes")).to_contain_text("1.1")
    screenshot(page, "scoring-round-close-confirm")
    page.click("#confirm-close button[value=close]")
    expect(page.locator("#assessment-status")).to_have_class(re.compile("closed"))

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.CLOSED
    finals = dict(assessment.scores.values_list("criterion__code", "final_points"))
    assert finals["1.1"] == D(10) and finals["2.1"] == D(5)
    assert assessment.submissions.get(department=culture).submitted_late
    assert not assessment.submissions.get(department=centre).submitted_late
    # Every hand-off was cleared once done: nobody is left holding this round.
    from notify.models import ToDo

    assert not ToDo.objects.filter(key__startswith="par", done_at=None).exists()
