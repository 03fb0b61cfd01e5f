"""Criteria bound to data rules: binding checks, proposals from the records, accepting and
overriding, freezing at submission, survey points, findings linked to a criterion."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core import clock
from initiatives.models import Initiative, InitiativeStatus
from inspections import services as inspection_services
from inspections.models import Finding, FindingStatus, InspectionPlan, Round, RoundStatus
from org.models import Role
from plans.models import Milestone, MilestoneKind, Plan, PlanKind, TaskStatus
from plans.tests.factories import AreaFactory, TaskFactory
from reports.models import PeriodKind, Report, ReportingPeriod, ReportStatus
from scoring import services
from scoring.models import AssessmentStatus, Method, ProposalChoice, Rule, SubmissionStatus
from scoring.services import CriterionData
from scoring.tests.conftest import D, Scene
from surveys import services as survey_services
from surveys.models import Question, QuestionKind

pytestmark = pytest.mark.django_db


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9)))


def _plan(scene: Scene, issued: date | None = date(2026, 1, 20)) -> Plan:
    return Plan.objects.create(
        unit=scene.unit,
        kind=PlanKind.ANNUAL,
        title="Kế hoạch CCHC năm 2026",
        number="12/KH-UBND",
        issued_on=issued,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )


def _tasks(scene: Scene, plan: Plan, on_time: int, late: int) -> None:
    area = AreaFactory(plan=plan, code="1", order=1)
    for n in range(on_time + late):
        status = TaskStatus.DONE if n < on_time else TaskStatus.OVERDUE
        task = TaskFactory(plan=plan, area=area, lead_department=scene.vhxh, status=status)
        Milestone.objects.create(
            task=task, kind=MilestoneKind.DUE, due=date(2026, 3, 1) + timedelta(days=n)
        )


def _bind_all(scene: Scene) -> None:
    f = scene.framework
    services.bind(f, scene.c("1.1"), Rule.PLAN_ISSUED, {"kind": "annual", "by": "2026-01-31"})
    services.bind(f, scene.c("1.2"), Rule.TASKS_ON_TIME, {})
    services.bind(f, scene.c("1.3"), Rule.REPORTS_ON_TIME, {"measure": "missed"})
    services.bind(f, scene.c("3.1"), Rule.SURVEY_SHARE, {"theme": 0})
    services.bind(f, scene.c("T.1"), Rule.INITIATIVES, {"level": "province"})


# --- binding ----------------------------------------------------------------------------------


def test_bad_bindings_are_refused_with_the_reason(scene: Scene):
    f = scene.framework
    with pytest.raises(ValidationError, match="needs its parameter “Issued at the latest on”"):
        services.bind(f, scene.c("1.1"), Rule.PLAN_ISSUED, {"kind": "annual"})
    with pytest.raises(ValidationError, match="not a date"):
        services.bind(f, scene.c("1.1"), Rule.PLAN_ISSUED, {"kind": "annual", "by": "31/01"})
    with pytest.raises(ValidationError, match="percentage from 0 to 100; got 120"):
        services.bind(
            f,
            scene.c("3.1"),
            Rule.SURVEY_SHARE,
            {"theme": 0, "tiers": [{"min": "120", "points": "10"}]},
        )
    with pytest.raises(ValidationError, match="from 0 to the maximum of 10"):
        services.bind(
            f, scene.c("3.1"), Rule.SURVEY_SHARE, {"theme": 0, "tiers": [{"min": 90, "points": 11}]}
        )
    with pytest.raises(ValidationError, match=r"cannot score criterion 1\.1"):
        services.bind(f, scene.c("1.1"), Rule.TASKS_ON_TIME, {})
    with pytest.raises(ValidationError, match="sum of its sub-criteria"):
        services.bind(f, scene.c("2.1"), Rule.TASKS_ON_TIME, {})
    with pytest.raises(ValidationError, match="has no parameter “when”"):
        services.bind(f, scene.c("1.2"), Rule.TASKS_ON_TIME, {"when": "x"})
    with pytest.raises(ValidationError, match="not a rule the system offers"):
        services.bind(f, scene.c("1.2"), "free_code", {})
    other = services.create_framework(scene.world.thanhhoa, year=2027, name="Bộ tiêu chí 2027")
    with pytest.raises(ValidationError, match="belongs to another framework"):
        services.bind(other, scene.c("1.2"), Rule.TASKS_ON_TIME, {})
    scene.c("1.1").refresh_from_db()
    assert scene.c("1.1").rule == "" and scene.c("1.2").rule == ""


def test_bindings_are_copied_to_a_new_year_with_their_dates(scene: Scene):
    _bind_all(scene)
    copy = services.copy_framework(scene.framework, 2027)
    moved = copy.sets.get().criteria.get(code="1.1")
    assert moved.rule == Rule.PLAN_ISSUED
    assert moved.rule_params == {"kind": "annual", "by": "2027-01-31"}
    assert copy.sets.get().criteria.get(code="3.1").rule == Rule.SURVEY_SHARE


# --- proposals --------------------------------------------------------------------------------


def test_proposals_come_from_plans_reports_and_initiatives(scene: Scene):
    _bind_all(scene)
    plan = _plan(scene)
    _tasks(scene, plan, on_time=31, late=2)
    for number, sent_late in ((1, False), (2, True)):
        period = ReportingPeriod.objects.create(
            plan=plan,
            unit=scene.unit,
            kind=PeriodKind.QUARTER,
            year=2026,
            number=number,
            start=date(2026, 1, 1),
            end=date(2026, 3, 31),
            department_due=date(2026, 3 * number, 5),
            unit_due=date(2026, 3 * number, 10),
        )
        Report.objects.create(
            period=period,
            status=ReportStatus.SENT,
            sent_at=_aware(date(2026, 3 * number, 9)),
            sent_late=sent_late,
        )
    Initiative.objects.create(
        unit=scene.unit,
        title="Số hoá hồ sơ một cửa",
        authors="Lê Thị Phương",
        problem="…",
        solution="…",
        status=InitiativeStatus.RECOGNISED_PROVINCE,
        decided_on=date(2026, 5, 20),
    )
    assert services.refresh(scene.assessment) == 5

    plan_score = scene.score("1.1")
    assert plan_score.proposed_points == D(2)
    assert "12/KH-UBND" in plan_score.proposal_figure
    assert plan_score.proposal_links[0]["url"] == reverse("plan_detail", args=[plan.pk])

    tasks = scene.score("1.2")
    assert tasks.proposal_figure == "31 of 33 tasks done on time, 93,9%"
    assert tasks.proposed_value == D("93.93") and tasks.proposed_points == D("0.5")
    assert tasks.proposal_period == "01/01/2026 – 10/06/2026"

    reports = scene.score("1.3")
    assert reports.proposed_value == 1 and reports.proposed_points == D("2.5")
    assert reports.proposal_figure == "1 of 2 reports late or missing"

    assert scene.score("T.1").proposed_points == D(2)
    survey = scene.score("3.1")
    assert survey.proposed_points is None
    assert survey.proposal_figure == "No survey answers in the period."
    # Nothing changed: nothing written again.
    assert services.refresh(scene.assessment) == 0


def test_a_plan_issued_late_is_proposed_zero(scene: Scene):
    _bind_all(scene)
    _plan(scene, issued=date(2026, 2, 15))
    services.refresh(scene.assessment)
    score = scene.score("1.1")
    assert score.proposed_points == 0
    assert "after the due date of 31/01/2026" in score.proposal_figure


def test_accept_override_submit_and_the_appraiser_sees_both(client, scene: Scene):
    _bind_all(scene)
    plan = _plan(scene)
    _tasks(scene, plan, on_time=9, late=1)
    services.refresh(scene.assessment)

    accepted = services.accept_proposal(scene.score("1.1"), scene.head)
    assert accepted.self_points == D(2) and accepted.proposal_choice == ProposalChoice.ACCEPTED
    with pytest.raises(ValidationError, match=r"Explain why criterion 1\.2"):
        services.override_proposal(scene.score("1.2"), scene.head, value=D(100), reason=" ")
    overridden = services.override_proposal(
        scene.score("1.2"),
        scene.head,
        value=D(100),
        reason="Nhiệm vụ 1.10 đã hoàn thành ngày 28/02, chưa cập nhật.",
    )
    assert overridden.self_points == D(1)
    assert overridden.proposed_points == D("0.5")
    # A self-score typed otherwise than proposed needs its reason too.
    with pytest.raises(ValidationError, match="otherwise than proposed"):
        services.set_self_score(scene.score("1.1"), scene.head, value=D(0), explanation="")

    # Accepted with the records behind it: no upload asked for.
    problems = {p.code for p in services.problems(scene.assessment.scores.all())}
    assert "1.1" not in problems and "1.2" not in problems

    # The data changes while the draft lasts: the accepted score follows its proposal.
    plan.issued_on = date(2026, 2, 10)
    plan.save()
    services.refresh(scene.assessment)
    assert scene.score("1.1").self_points == 0

    # Submitted: the proposals are frozen with their figures, the data changes nothing more.
    assessment = scene.assessment
    assessment.status = AssessmentStatus.APPROVED
    assessment.save()
    services.submit(assessment, scene.focal)
    frozen = scene.score("1.2")
    assert frozen.proposal_frozen_at is not None
    plan.issued_on = date(2026, 1, 10)
    plan.save()
    assert services.refresh(assessment) == 0
    assert scene.score("1.1").self_points == 0
    assert scene.score("1.1").proposed_points == 0

    # The appraiser's page shows the proposal, the score and the reason.
    client.force_login(scene.appraiser)
    page = client.get(reverse("scoring_score", args=[frozen.pk])).content.decode()
    assert "9 of 10 tasks done on time, 90%" in page
    assert "Nhiệm vụ 1.10 đã hoàn thành ngày 28/02" in page
    assert 'id="proposed-points">0.5' in page or 'id="proposed-points">0,5' in page


def test_survey_points_come_from_the_campaign(scene: Scene):
    services.bind(scene.framework, scene.c("3.1"), Rule.SURVEY_SHARE, {"theme": 0})
    questionnaire = survey_services.create_default_questionnaire(scene.unit)
    campaign = survey_services.save_campaign(
        scene.unit,
        survey_services.CampaignData(
            questionnaire=questionnaire,
            title="Khảo sát quý II/2026",
            starts_on=date(2026, 4, 1),
            ends_on=date(2026, 6, 30),
        ),
        by=scene.focal,
    )
    questions = list(Question.objects.filter(section__questionnaire=questionnaire))
    for rating in (5, 5, 5, 2):
        values = {}
        for q in questions:
            if q.kind == QuestionKind.RATING:
                values[q.field_name] = [str(rating)]
            elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YES_NO):
                values[q.field_name] = ["0"]
        survey_services.submit_response(campaign, survey_services.Submission(values=values))
    services.refresh(scene.assessment)
    score = scene.score("3.1")
    assert score.proposed_value == D(75)
    assert score.proposed_points == D("7.5")
    assert score.proposal_links[0]["url"] == reverse("survey_campaign", args=[campaign.pk])

    # Submitted and appraised: the appraiser types nothing for the survey.
    assessment = scene.assessment
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.save()
    services.send_appraisal(assessment, scene.appraiser)
    assert scene.score("3.1").appraised_points == D("7.5")


def test_a_finding_links_to_the_criterion_and_shows_on_its_page(client, scene: Scene):
    world = scene.world
    iplan = InspectionPlan.objects.create(
        unit=scene.unit, title="Kế hoạch kiểm tra CCHC 2026", year=2026, lead_department=scene.vhxh
    )
    round_ = Round.objects.create(
        plan=iplan,
        name="Đợt 1",
        start=date(2026, 5, 4),
        end=date(2026, 5, 8),
        status=RoundStatus.CONCLUDED,
    )
    data = inspection_services.FindingData(
        description="Chưa công khai kết quả giải quyết TTHC",
        department=scene.vhxh,
        responsible_department=scene.vhxh,
        deadline=date(2026, 6, 1),
        criterion_code="1.2",
    )
    finding = inspection_services.record_finding(round_, world.people[Role.ADMIN], data)
    assert finding.criterion == scene.c("1.2")
    # A code the framework lacks stays as written, unlinked.
    other = inspection_services.record_finding(
        round_,
        world.people[Role.ADMIN],
        inspection_services.FindingData(
            description="Khác",
            department=scene.vhxh,
            responsible_department=scene.vhxh,
            deadline=date(2026, 6, 5),
            criterion_code="9.9",
        ),
    )
    assert other.criterion is None and other.criterion_code == "9.9"
    # A criterion of another framework is refused.
    foreign = services.create_framework(world.thanhhoa, year=2027, name="2027")
    services.add_set(
        foreign, "commune_level", "Xã", [CriterionData("1", "A", D(100), Method.MANUAL)]
    )
    data.criterion = foreign.sets.get().criteria.get()
    with pytest.raises(ValidationError):
        inspection_services.record_finding(round_, world.people[Role.ADMIN], data)

    services.bind(scene.framework, scene.c("1.2"), Rule.TASKS_ON_TIME, {})
    client.force_login(scene.head)
    page = client.get(reverse("scoring_score", args=[scene.score("1.2").pk])).content.decode()
    assert 'id="criterion-findings"' in page
    assert "Chưa công khai kết quả giải quyết TTHC" in page
    assert "Khác" not in page.split('id="criterion-findings"')[1].split("</section>")[0]

    # Findings fixed on time: one of two, 50 %.
    Finding.objects.filter(pk=finding.pk).update(
        status=FindingStatus.VERIFIED, remediated_on=date(2026, 5, 30)
    )
    spec_facts = services.proposals.gather(
        services.proposals.query_for(scene.assessment), {"inspections.findings"}
    )
    assert [i.ok for i in spec_facts["inspections.findings"]] == [True, False]


def test_a_handed_in_score_is_not_moved_by_its_proposal(scene: Scene):
    _bind_all(scene)
    plan = _plan(scene)
    services.refresh(scene.assessment)
    services.accept_proposal(scene.score("1.1"), scene.head)
    part = scene.assessment.submissions.get(department=scene.vhxh)
    for code in ("1.2", "1.3", "T.1", "TR.1"):
        services.set_self_score(scene.score(code), scene.head, value=D(0), explanation="Chưa có.")
    # Proposals exist for 1.2 etc. only when the records answer: here 1.3 and T.1 are proposed.
    part.refresh_from_db()
    services.submit_department(part, scene.head)
    assert part.__class__.objects.get(pk=part.pk).status == SubmissionStatus.SUBMITTED
    plan.issued_on = date(2026, 3, 1)
    plan.save()
    services.refresh(scene.assessment)
    score = scene.score("1.1")
    assert score.proposed_points == 0
    assert score.self_points == D(2)  # the department's handed-in score stands


def test_recomputing_a_commune_reads_a_bounded_number_of_queries(
    scene: Scene, django_assert_max_num_queries
):
    _bind_all(scene)
    _tasks(scene, _plan(scene), on_time=3, late=1)
    with django_assert_max_num_queries(40):
        services.refresh(scene.assessment)
    assert clock.today() == date(2026, 6, 10)
