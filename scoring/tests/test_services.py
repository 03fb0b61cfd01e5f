from __future__ import annotations

import io
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from scoring import excel, services
from scoring.models import (
    AssessmentStatus,
    Framework,
    Method,
    Score,
    SubmissionStatus,
    UnitGroup,
)
from scoring.services import CriterionData, EvidenceData
from scoring.tests.conftest import D, Scene, other_commune, tree

PDF = b"%PDF-1.4\n% minh chung\n%%EOF\n"


def evidence(scene: Scene, code: str, by, *, numbered: bool = True) -> None:
    data = (
        EvidenceData("Kế hoạch", "12/KH-UBND", date(2026, 1, 10))
        if numbered
        else EvidenceData("Ảnh chụp")
    )
    services.add_evidence_file(scene.score(code), by, "kh.pdf", io.BytesIO(PDF), data)


def refusal(call, *args, **kwargs) -> str:
    """The first message of the ValidationError the call must raise."""
    with pytest.raises(ValidationError) as exc:
        call(*args, **kwargs)
    return exc.value.messages[0]


def fill_department(scene: Scene) -> None:
    """Both departments score everything they answer for, with evidence, and hand it in."""
    for code, value in (("1.1", 1), ("1.2", 90), ("1.3", 1), ("T.1", 1), ("TR.1", 1)):
        services.set_self_score(scene.score(code), scene.head, value=D(value))
        evidence(scene, code, scene.head)
    for code, value in (("2.1.1", 2), ("2.1.2", "1.5")):
        services.set_self_score(scene.score(code), scene.tthc_head, value=D(value))
        evidence(scene, code, scene.tthc_head)


def submit_all(scene: Scene) -> None:
    fill_department(scene)
    for submission in scene.assessment.submissions.all():
        services.submit_department(submission, scene.head)
        services.review_department(submission, scene.focal, accept=True)
    services.approve(scene.assessment, scene.leader)
    services.submit(scene.assessment, scene.focal)


# --- frameworks ----------------------------------------------------------------------------


def test_parse_tiers_reads_vietnamese_conditions():
    tiers = services.parse_tiers("100%: 1 điểm; từ 80% đến dưới 100%: 0,5; dưới 80%: 0")
    assert tiers == [
        {"min": "100", "points": "1"},
        {"min": "80", "points": "0.5"},
        {"min": "0", "points": "0"},
    ]
    assert services.tiers_text(tiers) == "100%: 1; 80%: 0,5; 0%: 0"
    with pytest.raises(ValidationError):
        services.parse_tiers("100% một điểm")


def test_children_exceeding_their_parent_are_refused(world):
    rows = tree()
    rows[1].max_points = D(5)  # 1.1 now 5 + 1 + 3 > 6
    errors = services.check_tree(rows)
    assert any("1" in e and "6" in e for e in errors)
    framework = services.create_framework(world.thanhhoa, year=2027, name="Khung")
    with pytest.raises(ValidationError) as exc:
        services.add_set(framework, UnitGroup.COMMUNE_LEVEL, "Xã", rows)
    assert "more than its maximum" in " ".join(exc.value.messages)
    assert not framework.sets.exists()  # nothing half-saved


def test_tree_checks_codes_parents_and_methods():
    rows = [
        CriterionData("1", "A", D(5), Method.SUM),
        CriterionData("1.1", "B", D(2), Method.TIERS),
        CriterionData("2.1", "C", D(1), Method.DEDUCTION),
        CriterionData("1", "D", D(1), Method.MANUAL),
    ]
    text = " ".join(services.check_tree(rows))
    assert "used twice" in text
    assert "no parent 2" in text
    assert "needs its tiers" in text
    assert "per occurrence" in text


def test_one_framework_per_province_and_year_and_only_provinces(scene):
    with pytest.raises(ValidationError):
        services.create_framework(scene.world.thanhhoa, year=2026, name="Lần hai")
    with pytest.raises(ValidationError):
        services.create_framework(scene.unit, year=2027, name="Của phường")


def test_copy_framework_for_next_year_keeps_criteria_and_periods(scene):
    new = services.copy_framework(scene.framework, 2027)
    assert new.copied_from == scene.framework
    assert new.name == "Bộ tiêu chí 2027"
    old_codes = list(scene.framework.sets.get().criteria.values_list("code", "max_points"))
    assert list(new.sets.get().criteria.values_list("code", "max_points")) == old_codes
    period = new.periods.get()
    assert period.department_due == date(2027, 6, 21)


def test_xlsx_export_imports_back_identically(scene):
    data = excel.export_framework(scene.framework)
    copy = Framework.objects.create(province=scene.world.thanhhoa, year=2030, name="Nhập lại")
    count = excel.import_framework(copy, "khung.xlsx", io.BytesIO(data))
    assert count == len(tree())
    before = services.criterion_rows(scene.framework.sets.get())
    after = services.criterion_rows(copy.sets.get())
    assert [(r.code, r.max_points, r.method, r.tiers, r.kind, r.source) for r in before] == [
        (r.code, r.max_points, r.method, r.tiers, r.kind, r.source) for r in after
    ]


def test_import_refuses_bad_rows_and_saves_nothing(world):
    framework = services.create_framework(world.thanhhoa, year=2028, name="Khung")
    csv = (
        "Mã,Tên tiêu chí,Điểm tối đa,Cách chấm\n"
        "1,Chỉ đạo,2,Tổng\n"
        "1.1,Kế hoạch,3,Có/Không\n"
        "1.2,Báo cáo,abc,Bay bổng\n"
    ).encode()
    with pytest.raises(ValidationError) as exc:
        excel.import_framework(framework, "k.csv", io.BytesIO(csv))
    text = " ".join(exc.value.messages)
    assert "Row 4" in text
    assert not framework.sets.exists()


def test_sample_framework_sums_to_100_with_survey_part(world):
    from scoring.sample import load_sample

    framework = load_sample(world.thanhhoa)
    criteria_set = framework.sets.get()
    tops = criteria_set.criteria.filter(parent=None, kind="regular")
    assert sum(c.max_points for c in tops) == 100
    assert tops.filter(method=Method.SUM, children__source="survey").exists()
    assert criteria_set.criteria.filter(kind="bonus").exists()
    assert criteria_set.criteria.filter(kind="penalty").exists()
    assert framework.periods.count() == 2
    assert load_sample(world.thanhhoa) == framework  # idempotent


# --- points ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "value", "points"),
    [
        ("1.1", 1, "2"),
        ("1.1", 0, "0"),
        ("1.2", 100, "1"),
        ("1.2", "85.5", "0.5"),
        ("1.2", 79, "0"),
        ("1.3", 1, "2.5"),
        ("1.3", 10, "1"),  # the floor
        ("2.1.1", "1.255", "1.26"),  # rounded half up to 2 decimals
        ("TR.1", 2, "2"),
        ("TR.1", 9, "3"),
    ],
)
def test_points_by_way_of_scoring(scene, code, value, points):
    assert services.points_for(scene.c(code), D(value), scene.framework) == D(points)


@pytest.mark.parametrize(("code", "value"), [("1.1", 2), ("1.2", 120), ("2.1.1", 3), ("1.3", 1.5)])
def test_out_of_range_values_are_refused(scene, code, value):
    with pytest.raises(ValidationError):
        services.points_for(scene.c(code), D(str(value)), scene.framework)


def test_score_above_maximum_is_refused_with_a_clear_message(scene):
    assert "above the maximum of 2 for criterion 2.1.1" in refusal(
        services.set_self_score, scene.score("2.1.1"), scene.tthc_head, value=D(5)
    )
    assert scene.score("2.1.1").self_points is None


# --- assignment ------------------------------------------------------------------------------


def test_assignment_from_seed_000_section_ii(world):
    from pathlib import Path

    from django.conf import settings

    from org.tests.factories import DepartmentFactory
    from scoring.sample import load_sample

    unit = world.dongquang
    for name in (
        "Văn phòng HĐND và UBND",
        "Trung tâm Phục vụ hành chính công",
        "Phòng Kinh tế, Hạ tầng và Đô thị",
    ):
        DepartmentFactory(unit=unit, name=name)
    framework = load_sample(world.thanhhoa)
    criteria_set = framework.sets.get()
    (seed,) = (Path(settings.BASE_DIR) / "fixtures" / "seeds").glob("000_*.txt")
    report = services.assign_from_document(unit, criteria_set, seed.read_text(encoding="utf-8"))
    assert report.unmatched_departments == []
    by_code = {a.criterion.code: a.department.name for a in report.assigned}
    assert by_code["1.1.1"] == "Phòng Văn hóa - Xã hội"
    assert by_code["2.3"] == "Văn phòng HĐND và UBND"
    assert by_code["3.4"] == "Trung tâm Phục vụ hành chính công"
    assert by_code["6.4"] == "Phòng Kinh tế, Hạ tầng và Đô thị"
    assert len(report.assigned) >= 40
    assert all(c.source != "survey" for c in report.unassigned)
    # What is left is listed for a person to assign by hand.
    assert {c.code for c in report.unassigned} == {
        c.code for c in services.unassigned(unit, criteria_set)
    }


def test_assignment_must_stay_in_the_commune(scene):
    with pytest.raises(ValidationError):
        services.assign(scene.unit, scene.c("1.1"), scene.world.vhxh)


# --- self-assessment and submission ------------------------------------------------------------


def test_scored_above_zero_without_evidence_blocks_submission(scene):
    services.set_self_score(scene.score("1.1"), scene.head, value=D(1))
    services.set_self_score(scene.score("1.2"), scene.head, value=D(100))
    submission = scene.assessment.submissions.get(department=scene.vhxh)
    with pytest.raises(ValidationError) as exc:
        services.submit_department(submission, scene.head)
    text = "\n".join(exc.value.messages)
    assert "1.1: scored above zero without evidence" in text
    assert "1.3: not scored yet" in text
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT


def test_weak_evidence_needs_an_explanation(scene):
    services.set_self_score(scene.score("1.1"), scene.head, value=D(1))
    evidence(scene, "1.1", scene.head, numbered=False)
    found = services.problems(services.department_scores(scene.assessment, scene.vhxh))
    assert any(p.code == "1.1" and "explanation" in p.message for p in found)
    services.set_self_score(scene.score("1.1"), scene.head, value=D(1), explanation="Ảnh chụp")
    found = services.problems(services.department_scores(scene.assessment, scene.vhxh))
    assert not any(p.code == "1.1" for p in found)


def test_forbidden_evidence_type_is_refused(scene):
    assert "not accepted" in refusal(
        services.add_evidence_file,
        scene.score("1.1"),
        scene.head,
        "virus.exe",
        io.BytesIO(b"MZ\x90\x00"),
        EvidenceData("x"),
    )
    assert not scene.score("1.1").evidence.exists()


def task_product(unit, department, by):
    """A product uploaded to a task of the unit's plan."""
    from plans import services as plan_services

    plan = plan_services.create_plan(
        unit, title="Kế hoạch", period_start=date(2026, 1, 1), period_end=date(2026, 12, 31)
    )
    task = plan_services.save_task(
        plan,
        plan_services.TaskData(
            area=plan.areas.first(), content="Ban hành KH", lead_department=department
        ),
    )
    files = [plan_services.UploadedFile("kh.pdf", io.BytesIO(PDF))]
    update = plan_services.add_progress(
        task, by, plan_services.ProgressData(note="Xong", percent=100, files=files)
    )
    return update.files.get()


def test_plan_task_product_can_be_linked_as_evidence(scene, world):
    product = task_product(scene.unit, scene.vhxh, scene.head)
    linked = services.link_task_evidence(
        scene.score("1.1"), scene.head, product, EvidenceData("", "5/KH-UBND", date(2026, 1, 5))
    )
    assert linked.task_evidence == product and linked.is_complete
    # A product of another commune's plan is refused.
    other = task_product(world.thanhdong, world.vhxh, world.people["focal"])
    with pytest.raises(ValidationError):
        services.link_task_evidence(scene.score("1.1"), scene.head, other, EvidenceData("x"))


def test_handed_in_scores_wait_for_the_focal_officer(scene):
    fill_department(scene)
    submission = scene.assessment.submissions.get(department=scene.vhxh)
    services.submit_department(submission, scene.head)
    with pytest.raises(ValidationError):
        services.set_self_score(scene.score("1.1"), scene.head, value=D(0))
    with pytest.raises(ValidationError):
        services.review_department(submission, scene.focal, accept=False)  # no note
    services.review_department(submission, scene.focal, accept=False, note="Thiếu số văn bản")
    services.set_self_score(scene.score("1.1"), scene.head, value=D(0), explanation="Chưa ban hành")
    assert scene.score("1.1").self_points == 0


def test_leadership_cannot_approve_before_every_department_is_accepted(scene):
    fill_department(scene)
    assert "has not accepted" in refusal(services.approve, scene.assessment, scene.leader)


def test_submission_locks_and_can_be_withdrawn_before_the_deadline(scene):
    submit_all(scene)
    assessment = scene.assessment
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert "can no longer be changed" in refusal(
        services.set_self_score, scene.score("1.1"), scene.head, value=D(0)
    )
    with pytest.raises(ValidationError):
        services.withdraw(assessment, scene.focal, on=date(2026, 7, 1))
    services.withdraw(assessment, scene.focal, on=date(2026, 6, 30))
    assert assessment.status == AssessmentStatus.DRAFT
    assert set(assessment.submissions.values_list("status", flat=True)) == {"returned"}
    services.set_self_score(scene.score("1.1"), scene.head, value=D(0), explanation="Sửa lại")


# --- appraisal -------------------------------------------------------------------------------


def appraise(scene: Scene) -> None:
    submit_all(scene)
    services.appraise_score(scene.score("3.1"), scene.appraiser, points=D("8.25"))
    services.appraise_score(
        scene.score("1.1"), scene.appraiser, points=D(0), reason="Kế hoạch ban hành muộn"
    )


def test_appraisal_keeps_self_scores_and_needs_reasons(scene):
    submit_all(scene)
    assert "reason" in refusal(
        services.appraise_score, scene.score("1.1"), scene.appraiser, points=D(0)
    )
    with pytest.raises(ValidationError):
        services.appraise_score(scene.score("1.1"), scene.appraiser, points=D(3), reason="x")
    services.appraise_score(scene.score("1.1"), scene.appraiser, points=D(0), reason="Muộn")
    score = scene.score("1.1")
    assert (score.self_points, score.appraised_points) == (D(2), D(0))


def test_withdraw_refused_once_appraisal_started(scene):
    appraise(scene)
    with pytest.raises(ValidationError):
        services.withdraw(scene.assessment, scene.focal, on=date(2026, 6, 20))


def test_survey_points_are_needed_before_sending(scene):
    submit_all(scene)
    assert "3.1" in refusal(services.send_appraisal, scene.assessment, scene.appraiser)


def test_answer_once_within_the_time_then_close(scene):
    appraise(scene)
    assessment = services.send_appraisal(scene.assessment, scene.appraiser, on=date(2026, 7, 5))
    assert assessment.answer_due == date(2026, 7, 10)
    # Criteria left alone keep the commune's score.
    assert scene.score("1.2").appraised_points == D("0.5")
    with pytest.raises(ValidationError):
        services.close(assessment, scene.appraiser, on=date(2026, 7, 8))  # still answering
    score = scene.score("1.1")
    with pytest.raises(ValidationError):
        services.answer_appraisal(assessment, scene.focal, {score.pk: "x"}, on=date(2026, 7, 11))
    services.answer_appraisal(
        assessment, scene.focal, {score.pk: "Kế hoạch ban hành ngày 10/01"}, on=date(2026, 7, 9)
    )
    second = {score.pk: "lần hai"}
    assert "already answered" in refusal(
        services.answer_appraisal, assessment, scene.focal, second, on=date(2026, 7, 9)
    )
    services.close(assessment, scene.appraiser, {score.pk: D(1)}, on=date(2026, 7, 9))
    score.refresh_from_db()
    assert (score.self_points, score.appraised_points, score.final_points) == (D(2), D(0), D(1))
    assert assessment.status == AssessmentStatus.CLOSED
    # Every change of the score is in its history.
    entries = LogEntry.objects.get_for_object(score)
    changed = [e.changes_dict for e in entries]
    assert any("self_points" in c for c in changed)
    assert any("appraised_points" in c for c in changed)
    assert any("final_points" in c for c in changed)


# --- results -------------------------------------------------------------------------------


def test_index_counts_appraised_survey_bonus_and_penalty(scene):
    appraise(scene)
    services.send_appraisal(scene.assessment, scene.appraiser, on=date(2026, 7, 5))
    services.close(scene.assessment, scene.appraiser, on=date(2026, 7, 11))
    a = scene.assessment
    a.refresh_from_db()
    # 1: 0 + 0.5 + 2.5 = 3; 2: 2 + 1.5 = 3.5; survey 8.25; bonus 2; penalty 1.
    assert a.points == D("6.5")
    assert a.survey_points == D("8.25")
    assert (a.bonus_points, a.penalty_points) == (D(2), D(1))
    # (6.5 + 8.25 + 2 − 1) / 100 × 100
    assert a.index == D("15.75")
    result = services.results(a)
    areas = {r.criterion.code: r.points for r in result.areas}
    assert areas["1"] == D(3) and areas["2"] == D("3.5")
    lost = result.points_lost()
    assert lost[0].criterion.code == "1.1" and lost[0].lost == D(2)
    assert lost[0].department == scene.vhxh
    assert lost == sorted(lost, key=lambda r: -r.lost)
    departments = {g.name: g for g in services.by_department(result)}
    assert departments[scene.vhxh.name].max_points == D(6)
    assert departments[scene.vhxh.name].points == D(3)


def test_parent_total_never_exceeds_its_maximum(scene):
    c = [scene.c(code) for code in ("2", "2.1", "2.1.1", "2.1.2")]
    totals = services.tree_points(c, {c[2].pk: D(2), c[3].pk: D(2)}, scene.framework)
    assert totals[c[0].pk] == D(4)
    c[1].max_points = D(3)  # a framework edited by hand: the cap still holds
    totals = services.tree_points(c, {c[2].pk: D(2), c[3].pk: D(2)}, scene.framework)
    assert totals[c[1].pk] == D(3)


def test_ranking_orders_communes_and_shows_spread(scene, world):
    other = other_commune(world)
    from org.tests.factories import DepartmentFactory

    department = DepartmentFactory(unit=other, name="Phòng Văn hóa - Xã hội")
    for code in ("1.1", "1.2", "1.3", "2.1.1", "2.1.2", "T.1", "TR.1"):
        services.assign(other, scene.c(code), department)
    second = services.open_assessment(scene.period, other)
    services.set_self_score(second.scores.get(criterion__code="1.1"), scene.focal, value=D(1))
    fill_department(scene)
    ranking = services.ranking(scene.period)
    assert [r.assessment.unit for r in ranking.rows] == [scene.unit, other]
    assert ranking.rows[0].rank == 1
    spread = {s.area.code: s for s in ranking.spreads}
    assert spread["1"].high == D(5) and spread["1"].low == D(2)


def test_change_since_the_last_period_and_last_year(scene):
    fill_department(scene)
    year = services.create_period(
        scene.framework,
        kind="year",
        name="Năm 2026",
        department_due=date(2026, 12, 1),
        submission_due=date(2026, 12, 10),
    )
    later = services.open_assessment(year, scene.unit)
    services.set_self_score(later.scores.get(criterion__code="1.1"), scene.head, value=D(1))
    result = services.results(later)
    assert result.previous == scene.assessment
    scene.assessment.refresh_from_db()
    assert result.change_since_previous == later.index - scene.assessment.index
    assert result.last_year is None


def test_every_leaf_has_a_score_row(scene):
    leaves = scene.framework.sets.get().criteria.filter(is_leaf=True).count()
    assert Score.objects.filter(assessment=scene.assessment).count() == leaves
