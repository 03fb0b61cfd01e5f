"""The province runs its frameworks and periods in pages: the rules of the services (a set an
assessment past the draft holds to keeps its points, the tree is checked, periods opened for some
communes and closed once), who may use the pages, the province's list of assessments, and in the
browser the Hải Phòng appraiser building the 2027 framework and opening a period for one commune."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from playwright.sync_api import expect

from org import demo as org_demo
from org.models import Role, UnitKind
from org.tests.factories import UnitFactory, person_with_role
from scoring import reminders, services
from scoring.models import Assessment, Criterion, Framework, Method, Period, PeriodAudience
from scoring.services import CriterionData
from scoring.tests.conftest import D, Scene, other_commune
from scoring.tests.test_services import appraise, refusal, submit_all


def row(scene: Scene, which: str, **changes) -> CriterionData:
    """The criterion as it stands, with some fields changed."""
    data = next(r for r in services.criterion_rows(scene.framework.sets.get()) if r.code == which)
    for name, value in changes.items():
        setattr(data, name, value)
    return data


def tree_of(scene: Scene) -> list[tuple]:
    return list(
        scene.framework.sets.get()
        .criteria.order_by("sort")
        .values_list("code", "name", "max_points", "method", "is_leaf")
    )


# --- a set in use keeps its points -----------------------------------------------------------


def test_points_of_a_set_a_submitted_assessment_holds_to_cannot_change(scene):
    submit_all(scene)
    criteria_set = scene.framework.sets.get()
    before = tree_of(scene)
    message = refusal(
        services.save_criterion, criteria_set, row(scene, "1.1", max_points=D(1)), scene.c("1.1")
    )
    assert "Đông Quang" in message and "maxima" in message
    refusal(
        services.save_criterion,
        criteria_set,
        row(scene, "1.1", method=Method.MANUAL),
        scene.c("1.1"),
    )
    refusal(services.delete_criterion, scene.c("1.3"))
    refusal(services.save_criterion, criteria_set, CriterionData("1.4", "Mới", D(0), Method.YES_NO))
    refusal(services.replace_criteria, criteria_set, services.criterion_rows(criteria_set))
    assert tree_of(scene) == before
    # Wording may still be corrected.
    services.save_criterion(
        criteria_set, row(scene, "1.1", name="Ban hành kế hoạch CCHC"), scene.c("1.1")
    )
    assert scene.c("1.1").name == "Ban hành kế hoạch CCHC"
    # Nor may the rounding change once scored.
    assert "rounding" in refusal(
        services.update_framework, scene.framework, name=scene.framework.name, decimals=1
    )


def test_tree_errors_refuse_the_whole_change(scene):
    criteria_set = scene.framework.sets.get()
    before = tree_of(scene)
    too_much = CriterionData("1.4", "Thêm", D(5), Method.YES_NO)
    assert "more than its maximum" in refusal(services.save_criterion, criteria_set, too_much)
    orphan = CriterionData("9.1", "Mồ côi", D(1), Method.YES_NO)
    assert "no parent 9" in refusal(services.save_criterion, criteria_set, orphan)
    tiers = row(scene, "1.2", tiers=[])
    assert "tiers" in refusal(services.save_criterion, criteria_set, tiers, scene.c("1.2"))
    assert tree_of(scene) == before
    assert Criterion.objects.filter(code__in=["1.4", "9.1"]).count() == 0


def test_a_draft_follows_the_tree(scene):
    """While communes only draft, the criteria may change: new leaves get a score row, changed
    rules re-score what was reported, a scored criterion keeps its way of scoring."""
    criteria_set = scene.framework.sets.get()
    services.set_self_score(scene.score("1.3"), scene.head, value=D(2))  # 3 − 2 × 0,5
    assert scene.score("1.3").self_points == D(2)
    services.save_criterion(criteria_set, row(scene, "1.3", deduction=D(1)), scene.c("1.3"))
    assert scene.score("1.3").self_points == D(1)
    assert "Đông Quang" in refusal(
        services.save_criterion,
        criteria_set,
        row(scene, "1.3", method=Method.MANUAL),
        scene.c("1.3"),
    )
    assert "Đông Quang" in refusal(services.delete_criterion, scene.c("1.3"))
    # A criterion nobody scored is split: its score row goes, its sub-criteria get theirs.
    services.save_criterion(criteria_set, row(scene, "2.1.1", max_points=D(1)), scene.c("2.1.1"))
    services.save_criterion(
        criteria_set, CriterionData("2.1.1.1", "Niêm yết tại bộ phận một cửa", D(1), "yes_no")
    )
    assert not scene.c("2.1.1").is_leaf and scene.c("2.1.1").method == Method.SUM
    codes = set(scene.assessment.scores.values_list("criterion__code", flat=True))
    assert "2.1.1.1" in codes and "2.1.1" not in codes
    # Deleting the only sub-criterion makes the parent a criterion scored by hand again.
    assert services.delete_criterion(scene.c("2.1.1.1")) == ["2.1.1.1"]
    parent = scene.c("2.1.1")
    assert parent.is_leaf and parent.method == Method.MANUAL
    assert scene.assessment.scores.filter(criterion=parent).exists()
    # A code change takes the sub-criteria along; ids (and assignments) stay.
    area = scene.c("2")
    services.save_criterion(criteria_set, row(scene, "2", code="4"), area)
    assert scene.c("4").pk == area.pk and scene.c("4.1.2").pk
    assert LogEntry.objects.get_for_object(area).count() >= 2  # in the history


def test_framework_fields_are_checked(scene):
    assert "decimals" in refusal(
        services.update_framework, scene.framework, name="Khung", decimals=4
    )
    assert "Name" in refusal(services.update_framework, scene.framework, name="  ")
    framework = services.update_framework(
        scene.framework, name="Khung mới", decision_number="1/QĐ", decimals=1, rounding="down"
    )
    assert (framework.name, framework.decimals, framework.rounding) == ("Khung mới", 1, "down")


# --- periods -----------------------------------------------------------------------------------


@pytest.fixture
def next_year(scene: Scene) -> Framework:
    """2027, copied from 2026: its six-month period waits to be opened."""
    return services.copy_framework(scene.framework, 2027)


def test_a_copied_period_waits_then_opens_for_some_communes(scene, next_year):
    planned = next_year.periods.get()
    assert planned.opened_for == PeriodAudience.PLANNED
    assert "not opened" in refusal(services.open_assessment, planned, scene.unit)
    mau = other_commune(scene.world)
    period = services.open_period(
        next_year,
        kind="six_month",
        name="6 tháng 2027",
        department_due=date(2027, 6, 20),
        submission_due=date(2027, 6, 30),
        answer_days=7,
        communes=[mau],
    )
    assert period.pk == planned.pk and period.opened_for == PeriodAudience.CHOSEN
    assert list(period.assessments.values_list("unit__code", flat=True)) == ["38-XX"]
    assert period.assessments.get().scores.count() == 8  # every leaf
    # Communes not chosen have none, and cannot start one.
    assert "Đông Quang" in refusal(services.open_assessment, period, scene.unit)
    assert "already open" in refusal(
        services.open_period,
        next_year,
        kind="six_month",
        name="Lại",
        department_due=date(2027, 6, 20),
        submission_due=date(2027, 6, 30),
    )
    # Left out by mistake: added.
    services.add_communes(period, [scene.unit])
    assert period.assessments.count() == 2


def test_a_period_for_every_commune_opens_them_all(scene, next_year):
    mau = other_commune(scene.world)
    period = services.open_period(
        next_year,
        kind="year",
        name="Năm 2027",
        department_due=date(2027, 12, 1),
        submission_due=date(2027, 12, 10),
    )
    assert period.opened_for == PeriodAudience.ALL
    assert set(period.assessments.values_list("unit_id", flat=True)) == {scene.unit.pk, mau.pk}
    with pytest.raises(ValidationError):
        services.open_period(
            next_year,
            kind="year",
            name="Năm",
            department_due=date(2027, 12, 20),
            submission_due=date(2027, 12, 10),
        )


def test_closing_is_refused_while_appraising_then_final(scene):
    appraise(scene)  # submitted and being appraised
    message = refusal(services.close_period, scene.period)
    assert "still appraising" in message
    assert services.period_closing(scene.period).being_appraised == [scene.assessment]
    assert Period.objects.get(pk=scene.period.pk).closed_at is None


def test_closing_a_period_stops_every_step_and_a_second_close_is_refused(scene):
    closing = services.period_closing(scene.period)
    assert closing.may_close and closing.not_submitted == [scene.assessment]
    period = services.close_period(scene.period)
    assert period.closed_at is not None
    assert "already closed" in refusal(services.close_period, period)
    score = scene.score("1.1")
    assert "closed" in refusal(services.set_self_score, score, scene.head, value=D(1))
    submission = scene.assessment.submissions.first()
    assert "closed" in refusal(services.submit_department, submission, scene.head)
    assert "closed" in refusal(services.approve, scene.assessment, scene.leader)
    assert "closed" in refusal(services.open_assessment, period, other_commune(scene.world))
    assessment = Assessment.objects.select_related("period", "unit").get(pk=scene.assessment.pk)
    step = services.next_step(assessment, scene.focal)
    assert "closed" in step.message and not step.can_act
    assert not list(reminders.reminders(date(2026, 6, 14)))  # nothing to chase any more


# --- pages -------------------------------------------------------------------------------------


def login(client, user):
    client.force_login(user)
    return client


def criterion_post(**changes) -> dict:
    data = {
        "code": "1.4",
        "name": "Tổ chức đối thoại",
        "max_points": "0",
        "method": "yes_no",
        "tiers": "",
        "deduction": "",
        "floor": "0",
        "evidence_required": "Biên bản",
        "source": "self",
        "kind": "regular",
    }
    return data | changes


def test_the_province_appraiser_creates_edits_and_copies(client, scene):
    login(client, scene.appraiser)
    home = client.get(reverse("scoring_home")).content.decode()
    assert 'id="framework-new"' in home and 'id="framework-copy"' in home
    response = client.post(
        reverse("scoring_framework_new"),
        {"year": "2028", "name": "Bộ tiêu chí 2028", "decimals": "2", "rounding": "half_up"},
    )
    created = Framework.objects.get(year=2028)
    assert response.url == reverse("scoring_framework", args=[created.pk])
    client.post(
        reverse("scoring_framework_edit", args=[created.pk]),
        {"name": "Bộ tiêu chí 2028 (sửa)", "decision_number": "5/QĐ-UBND", "decimals": "1",
         "rounding": "down"},
    )  # fmt: skip
    created.refresh_from_db()
    assert (created.name, created.decision_number, created.decimals) == (
        "Bộ tiêu chí 2028 (sửa)",
        "5/QĐ-UBND",
        1,
    )
    client.post(reverse("scoring_set_add", args=[created.pk]), {"group": "commune_level"})
    criteria_set = created.sets.get()
    client.post(
        reverse("scoring_criterion_new", args=[criteria_set.pk]),
        criterion_post(code="1", name="Chỉ đạo", max_points="2", method="sum"),
    )
    area = criteria_set.criteria.get(code="1")
    assert area.method == Method.MANUAL  # scored by hand until it has criteria
    client.post(
        reverse("scoring_criterion_new", args=[criteria_set.pk]),
        criterion_post(code="1.1", max_points="1,5", tiers="100%: 1,5; dưới 100%: 0",
                       method="tiers"),
    )  # fmt: skip
    leaf = criteria_set.criteria.get(code="1.1")
    assert leaf.max_points == D("1.5") and leaf.tiers[0] == {"min": "100", "points": "1.5"}
    assert criteria_set.criteria.get(code="1").method == Method.SUM
    page = client.get(reverse("scoring_framework", args=[created.pk])).content.decode()
    assert reverse("scoring_criterion_edit", args=[leaf.pk]) in page
    # The tree's errors are shown on the form; nothing is saved.
    edit = reverse("scoring_criterion_edit", args=[leaf.pk])
    response = client.post(edit, criterion_post(code="1.1", max_points="3"))
    # In Vietnamese, as every page.
    assert response.status_code == 200 and "vượt điểm tối đa" in response.content.decode()
    assert criteria_set.criteria.get(code="1.1").max_points == D("1.5")
    client.post(reverse("scoring_criterion_delete", args=[leaf.pk]))
    assert not criteria_set.criteria.filter(code="1.1").exists()
    # Copy last year's (2026) for 2027.
    client.post(reverse("scoring_framework_copy", args=[scene.framework.pk]))
    assert Framework.objects.get(year=2027).sets.get().criteria.count() == 14


def test_the_province_appraiser_opens_and_closes_a_period(client, scene, next_year):
    mau = other_commune(scene.world)
    login(client, scene.appraiser)
    url = reverse("scoring_period_open", args=[next_year.pk])
    form = client.get(url).content.decode()
    assert 'name="everyone"' in form and "Xã Mẫu" in form
    response = client.post(
        url,
        {
            "kind": "six_month",
            "name": "",
            "department_due": "2027-06-20",
            "submission_due": "2027-06-30",
            "answer_days": "5",
            "communes": [mau.pk],
        },
    )
    assert response.status_code == 302
    period = next_year.periods.get(kind="six_month")
    assert period.opened_for == PeriodAudience.CHOSEN and period.name.endswith("2027")
    assert list(period.assessments.values_list("unit", flat=True)) == [mau.pk]
    close = reverse("scoring_period_close", args=[period.pk])
    confirm = client.post(close).content.decode()
    assert 'id="not-submitted"' in confirm and "Xã Mẫu" in confirm
    assert Period.objects.get(pk=period.pk).closed_at is None  # not before it is confirmed
    client.post(close, {"confirmed": "1"})
    assert Period.objects.get(pk=period.pk).closed_at is not None
    closed_at = Period.objects.get(pk=period.pk).closed_at
    again = client.post(close, {"confirmed": "1"}, follow=True).content.decode()
    assert 'class="message error"' in again
    assert Period.objects.get(pk=period.pk).closed_at == closed_at


@pytest.mark.parametrize("who", ["focal", "other_appraiser", "leader"])
def test_others_are_refused_and_change_nothing(client, scene, next_year, who):
    user = {
        "focal": scene.focal,
        "other_appraiser": scene.other_appraiser,
        "leader": scene.leader,
    }[who]
    login(client, user)
    criteria_set = scene.framework.sets.get()
    leaf = scene.c("1.1")
    before = tree_of(scene)
    planned = next_year.periods.get()
    requests = [
        (reverse("scoring_framework_edit", args=[scene.framework.pk]), {"name": "Đổi"}),
        (reverse("scoring_framework_copy", args=[next_year.pk]), {}),
        (reverse("scoring_set_add", args=[next_year.pk]), {"group": "ward"}),
        (reverse("scoring_criterion_new", args=[criteria_set.pk]), criterion_post()),
        (reverse("scoring_criterion_edit", args=[leaf.pk]), criterion_post(code="1.1")),
        (reverse("scoring_criterion_delete", args=[leaf.pk]), {}),
        (
            reverse("scoring_period_open", args=[next_year.pk]),
            {
                "kind": "six_month",
                "department_due": "2027-06-20",
                "submission_due": "2027-06-30",
                "answer_days": "5",
                "everyone": "on",
            },
        ),
        (reverse("scoring_period_close", args=[scene.period.pk]), {"confirmed": "1"}),
        (reverse("scoring_period_communes", args=[scene.period.pk]), {}),
    ]
    if who != "other_appraiser":  # who issues the frameworks of their own province
        requests.append((reverse("scoring_framework_new"), {"year": "2029", "name": "Không"}))
    for url, data in requests:
        assert client.post(url, data).status_code in (403, 404), url
        assert client.get(url).status_code in (403, 404, 405), url
    assert tree_of(scene) == before
    assert Framework.objects.count() == 2
    assert Framework.objects.get(pk=scene.framework.pk).name == "Bộ tiêu chí 2026"
    planned.refresh_from_db()
    assert planned.opened_for == PeriodAudience.PLANNED and not planned.assessments.exists()
    assert Period.objects.get(pk=scene.period.pk).closed_at is None
    # Nor do they see the province's list: theirs is another province's, or none.
    listed = client.get(reverse("scoring_assessment_list"))
    assert listed.status_code in (403, 404) or "Đông Quang" not in listed.content.decode()


def test_a_commune_does_not_see_periods_opened_for_others(client, scene, next_year):
    mau = other_commune(scene.world)
    services.open_period(
        next_year,
        kind="six_month",
        name="Kỳ riêng 2027",
        department_due=date(2027, 6, 20),
        submission_due=date(2027, 6, 30),
        communes=[mau],
    )
    login(client, scene.focal)
    assert "Kỳ riêng 2027" not in client.get(reverse("scoring_home")).content.decode()
    period = next_year.periods.get()
    response = client.post(reverse("scoring_open", args=[period.pk]), follow=True)
    assert not Assessment.objects.filter(period=period, unit=scene.unit).exists()
    assert 'class="message error"' in response.content.decode()


def test_another_provinces_period_is_not_found_by_a_commune(client, scene):
    """Thành Đông (Hải Phòng) cannot even learn that Thanh Hoá's period exists."""
    focal = scene.world.people[Role.FOCAL]
    login(client, focal)
    response = client.post(reverse("scoring_open", args=[scene.period.pk]))
    assert response.status_code == 404
    assert not Assessment.objects.filter(period=scene.period, unit=focal.unit).exists()


# --- the province's list of assessments --------------------------------------------------------


def test_the_list_filters_by_commune_and_status_in_one_query(client, scene):
    submit_all(scene)
    mau = other_commune(scene.world)
    for n in range(3):
        extra = UnitFactory(
            code=f"38-E{n}", name=f"Phường Thêm {n}", kind=UnitKind.WARD, parent=mau.parent
        )
        services.open_assessment(scene.period, extra)
    services.open_assessment(scene.period, mau)
    login(client, scene.appraiser)
    url = reverse("scoring_assessment_list")
    page = client.get(url).content.decode()
    assert page.count('<tr id="assessment-') == 5
    by_status = client.get(url, {"status": "submitted"}).content.decode()
    assert f'id="assessment-{scene.assessment.pk}"' in by_status
    assert by_status.count('<tr id="assessment-') == 1
    by_unit = client.get(url, {"unit": mau.pk}).content.decode()
    assert by_unit.count('<tr id="assessment-') == 1 and "Xã Mẫu" in by_unit
    none = client.get(url, {"unit": mau.pk, "status": "submitted"}).content.decode()
    assert '<tr id="assessment-' not in none
    # The late mark and the link to each assessment.
    Assessment.objects.filter(pk=scene.assessment.pk).update(due_when_submitted=date(2026, 6, 1))
    late = client.get(url, {"status": "submitted"}).content.decode()
    assert "status-overdue" in late
    assert reverse("scoring_assessment", args=[scene.assessment.pk]) in late
    # However many rows, the same few queries (session, user, grants, unit, menu, list, count).
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    for n in range(3, 6):
        extra = UnitFactory(
            code=f"38-E{n}", name=f"Phường Thêm {n}", kind=UnitKind.WARD, parent=mau.parent
        )
        services.open_assessment(scene.period, extra)
    with CaptureQueriesContext(connection) as eight:
        client.get(url)
    assert len(eight) == len(five) <= 14


def test_the_list_is_paged(client, scene, monkeypatch):
    from scoring import views

    monkeypatch.setattr(views, "ASSESSMENTS_PER_PAGE", 1)
    services.open_assessment(scene.period, other_commune(scene.world))
    login(client, scene.appraiser)
    first = client.get(reverse("scoring_assessment_list"), {"status": "draft"}).content.decode()
    assert "status=draft&amp;page=2" in first
    second = client.get(reverse("scoring_assessment_list"), {"status": "draft", "page": 2})
    assert second.content.decode().count('<tr id="assessment-') == 1


def test_the_issue_right_is_the_provinces_appraisers(scene):
    from org.access import Action, can

    assert can(scene.appraiser, Action.ISSUE, scene.framework)
    assert not can(scene.other_appraiser, Action.ISSUE, scene.framework)
    province_focal = person_with_role(Role.FOCAL, scene.world.thanhhoa, username="th_focal")
    assert not can(province_focal, Action.ISSUE, scene.framework)
    assert not can(scene.focal, Action.ISSUE, scene.framework)


# --- in the browser ------------------------------------------------------------------------------


def add_criterion(page, fields: dict[str, str], method: str, screenshot=None) -> None:
    page.click("a.criterion-new >> nth=0")
    for name, value in fields.items():
        page.fill(f"#id_{name}", value)
    page.select_option("#id_method", method)
    if screenshot is not None:
        screenshot(page, "scoring-criterion-form")
    page.click("#criterion-form button[type=submit]")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_province_builds_a_framework_and_opens_a_period(page, live_server, login, screenshot):
    org_demo.load()
    base = live_server.url
    login(page, base, "sonoivu.haiphong")
    page.goto(f"{base}/scoring/")
    expect(page.locator("#province-tools")).to_be_visible()
    page.click("#framework-new")
    page.fill("#id_year", "2027")
    page.fill("#id_name", "Bộ tiêu chí xác định Chỉ số CCHC cấp xã năm 2027")
    page.fill("#id_decision_number", "125/QĐ-UBND")
    page.fill("#id_decision_issuer", "UBND thành phố Hải Phòng")
    page.click("#framework-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("năm 2027")
    framework = Framework.objects.get(province__code="31", year=2027)

    # Criteria for wards and communes: an area, then a criterion scored by tiers.
    page.click("#set-add button[type=submit]")
    area = {"code": "1", "name": "Công tác chỉ đạo, điều hành CCHC", "max_points": "10"}
    add_criterion(page, area, "manual")
    add_criterion(
        page,
        {
            "code": "1.1",
            "name": "Mức độ hoàn thành kế hoạch CCHC năm",
            "max_points": "2",
            "tiers": "100%: 2; từ 80% đến dưới 100%: 1; dưới 80%: 0",
            "evidence_required": "Báo cáo kết quả thực hiện kế hoạch",
        },
        "tiers",
        screenshot,
    )
    rows = page.locator("table.scoring-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("≥100%: 2")
    screenshot(page, "scoring-framework-built")

    # The period, for Thái Tân only.
    page.click("#period-open")
    page.select_option("#id_kind", "six_month")
    page.fill("#id_department_due", "2027-06-20")
    page.fill("#id_submission_due", "2027-06-30")
    page.uncheck("#id_everyone")
    page.get_by_label("Xã Thái Tân").check()
    screenshot(page, "scoring-period-form")
    page.click("#period-form button[type=submit]")
    table = page.locator("#assessment-list tbody")
    expect(table.locator("tr[id^=assessment-]")).to_have_count(1)
    expect(table).to_contain_text("Thái Tân")
    screenshot(page, "scoring-period-opened")
    period = framework.periods.get()
    assert period.opened_for == PeriodAudience.CHOSEN
    assert list(Assessment.objects.filter(period=period).values_list("unit__code", flat=True)) == [
        "31-THAITAN"
    ]

    # The list's filters: by commune and by status.
    page.select_option("#assessment-filters select[name=status]", "submitted")
    page.click("#assessment-filters button[type=submit]")
    expect(page.locator("#assessment-list tbody tr[id^=assessment-]")).to_have_count(0)
    page.select_option("#assessment-filters select[name=status]", "draft")
    page.select_option("#assessment-filters select[name=unit]", label="Thái Tân")
    page.click("#assessment-filters button[type=submit]")
    expect(page.locator("#assessment-list tbody tr[id^=assessment-]")).to_have_count(1)
    page.goto(f"{base}/scoring/frameworks/{framework.pk}/#periods")
    expect(page.locator(f"#period-{period.pk}")).to_contain_text("1")
    screenshot(page, "scoring-framework-periods")
    page.goto(f"{base}/scoring/")
    screenshot(page, "scoring-home-province")
