from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation

from core import clock
from ingest.targets import Attainment
from org.models import Role
from plans import services as plan_services
from plans.models import Measurement
from surveys import services
from surveys.models import Answer, Question, QuestionKind, Response, ResponseSource
from surveys.tests.conftest import full_answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def submit(campaign, values, **kw):
    return services.submit_response(campaign, services.Submission(values=values, **kw))


def test_default_questionnaire_follows_the_five_sipas_themes(world):
    q = services.create_default_questionnaire(world.thanhdong)
    titles = list(q.sections.values_list("title", flat=True))
    assert titles == [
        "Tiếp cận dịch vụ",
        "Thủ tục hành chính",
        "Công chức trực tiếp giải quyết công việc",
        "Kết quả giải quyết thủ tục hành chính",
        "Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị",
    ]
    kinds = set(Question.objects.filter(section__questionnaire=q).values_list("kind", flat=True))
    assert kinds == set(QuestionKind.values)
    assert Question.objects.filter(section__questionnaire=q, required=False).count() == 2


def test_answer_is_stored_with_its_sums(campaign):
    values = full_answers(campaign, rating=4)
    rating_qs = [q for q in services.questions_of(campaign) if q.kind == QuestionKind.RATING]
    values[rating_qs[0].field_name] = ["2"]
    response = submit(campaign, values, procedure_field="land")
    assert response.rating_count == len(rating_qs)
    assert response.satisfied_count == len(rating_qs) - 1
    assert response.rating_sum == 4 * (len(rating_qs) - 1) + 2
    assert response.procedure_field == "land"
    assert response.contact == ""
    assert Answer.objects.filter(response=response, rating__isnull=False).count() == len(rating_qs)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("missing", "Please answer this question."),
        ("zero", "Choose a level from 1 to 5."),
        ("six", "Choose a level from 1 to 5."),
        ("word", "Choose a level from 1 to 5."),
    ],
)
def test_bad_rating_refused_and_nothing_saved(campaign, change, message):
    values = full_answers(campaign)
    first = next(q for q in services.questions_of(campaign) if q.kind == QuestionKind.RATING)
    values[first.field_name] = {"missing": [], "zero": ["0"], "six": ["6"], "word": ["tốt"]}[change]
    with pytest.raises(ValidationError) as error:
        submit(campaign, values)
    assert error.value.message_dict == {first.field_name: [message]}
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0


def test_choice_out_of_range_and_long_text_refused(campaign):
    values = full_answers(campaign)
    questions = services.questions_of(campaign)
    single = next(q for q in questions if q.kind == QuestionKind.SINGLE)
    multiple = next(q for q in questions if q.kind == QuestionKind.MULTIPLE)
    yes_no = next(q for q in questions if q.kind == QuestionKind.YES_NO)
    text = next(q for q in questions if q.kind == QuestionKind.TEXT)
    values[single.field_name] = ["9"]
    values[multiple.field_name] = ["0", "99"]
    values[yes_no.field_name] = ["maybe"]
    values[text.field_name] = ["x" * 2001]
    with pytest.raises(ValidationError) as error:
        submit(campaign, values, procedure_field="nowhere")
    assert set(error.value.message_dict) == {
        single.field_name,
        multiple.field_name,
        yes_no.field_name,
        text.field_name,
        "procedure_field",
    }
    assert Response.objects.count() == 0


def test_optional_questions_may_be_left_out_and_multiple_choices_kept(campaign):
    values = full_answers(campaign)
    multiple = next(q for q in services.questions_of(campaign) if q.kind == QuestionKind.MULTIPLE)
    values[multiple.field_name] = ["1", "3", "1"]
    response = submit(campaign, values)
    assert sorted(
        Answer.objects.filter(response=response, question=multiple).values_list("choice", flat=True)
    ) == [1, 3]


def test_answer_after_the_campaign_closed_is_refused(campaign, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 4, 1))
    with pytest.raises(services.SurveyClosed):
        submit(campaign, full_answers(campaign))
    services.close_campaign(campaign)
    with pytest.raises(services.SurveyClosed):
        services.submit_response(
            campaign, services.Submission(values=full_answers(campaign)), on=date(2026, 2, 1)
        )
    assert Response.objects.count() == 0


def test_results_per_question_theme_month_and_field(campaign):
    services.submit_response(
        campaign,
        services.Submission(values=full_answers(campaign, 5), procedure_field="land"),
        on=date(2026, 1, 10),
    )
    services.submit_response(
        campaign,
        services.Submission(values=full_answers(campaign, 2), procedure_field="civil_status"),
        on=date(2026, 2, 3),
    )
    values = full_answers(campaign, 4)
    text_q = next(q for q in services.questions_of(campaign) if q.kind == QuestionKind.TEXT)
    values[text_q.field_name] = ["Cần thêm ghế chờ"]
    services.submit_response(
        campaign, services.Submission(values=values, procedure_field="land"), on=date(2026, 2, 5)
    )
    result = services.results(campaign)
    ratings = sum(1 for q in services.questions_of(campaign) if q.kind == QuestionKind.RATING)
    assert result.responses == 3
    assert result.overall.count == 3 * ratings
    assert result.overall.share == Decimal("66.7")
    assert result.overall.mean == Decimal("3.67")
    assert [t.figure.share for t in result.themes if t.figure.count] == [Decimal("66.7")] * 5
    first = next(r for t in result.themes for r in t.questions if r.question.kind == "rating")
    assert [n for _label, n, _pct in first.distribution] == [0, 1, 0, 1, 1]
    assert [(f.label, f.responses) for f in result.by_month] == [("01/2026", 1), ("02/2026", 2)]
    by_field = {f.label: f for f in result.by_field}
    assert by_field["Land"].share == Decimal("100.0")
    assert by_field["Civil status"].share == Decimal("0.0")
    assert result.texts == 1
    filtered = services.results(campaign, services.ResultFilter(start=date(2026, 2, 1)))
    assert filtered.responses == 2
    by_land = services.results(campaign, services.ResultFilter(procedure_field="land"))
    assert by_land.overall.share == Decimal("100.0")


def test_excluded_answers_leave_the_results_and_the_reason_is_kept(campaign, world):
    good = submit(campaign, full_answers(campaign, 5))
    bad = submit(campaign, full_answers(campaign, 1))
    assert services.overall_figure(campaign).share == Decimal("50.0")
    focal = world.people[Role.FOCAL]
    with pytest.raises(ValidationError):
        services.exclude_response(bad, focal, "  ")
    services.exclude_response(bad, focal, "Phiếu thử của cán bộ")
    assert services.overall_figure(campaign).share == Decimal("100.0")
    assert services.results(campaign).excluded == 1
    services.include_response(bad, focal)
    bad.refresh_from_db()
    assert bad.exclusion_reason == "Phiếu thử của cán bộ"
    assert services.overall_figure(campaign).share == Decimal("50.0")
    assert good.excluded is False


def test_overall_figure_feeds_the_plan_target(campaign, satisfaction_target):
    assert plan_services.target_state(satisfaction_target).attainment == Attainment.NOT_MEASURED
    submit(campaign, full_answers(campaign, 5))
    state = plan_services.target_state(satisfaction_target)
    assert state.attainment == Attainment.MET
    assert state.latest.value == Decimal("100.0")
    assert "Khảo sát tại Trung tâm Phục vụ hành chính công quý I/2026" in state.latest.source
    submit(campaign, full_answers(campaign, 2))
    state = plan_services.target_state(satisfaction_target)
    assert state.attainment == Attainment.NOT_MET
    assert state.latest.value == Decimal("50.0")
    # one live figure per campaign, updated in place, not one row per answer
    assert Measurement.objects.filter(target=satisfaction_target).count() == 1


def test_unlinking_the_target_removes_the_campaigns_figure(campaign, satisfaction_target, world):
    submit(campaign, full_answers(campaign, 5))
    services.save_campaign(
        world.thanhdong,
        services.CampaignData(
            questionnaire=campaign.questionnaire,
            title=campaign.title,
            starts_on=campaign.starts_on,
            ends_on=campaign.ends_on,
            target=None,
        ),
        campaign,
    )
    assert not Measurement.objects.filter(target=satisfaction_target).exists()


def test_satisfaction_targets_are_suggested(plan, satisfaction_target, world):
    plan_services.add_target(plan, "100% hồ sơ được theo dõi trạng thái xử lý")
    assert list(services.satisfaction_targets(world.thanhdong)) == [satisfaction_target]
    assert list(services.satisfaction_targets(world.dongquang)) == []
    plan.status = "draft"  # a draft's targets are not offered until it is activated
    plan.save()
    assert list(services.satisfaction_targets(world.thanhdong)) == []


def test_campaign_rules(world, campaign, satisfaction_target):
    other_q = services.create_default_questionnaire(world.dongquang)
    with pytest.raises(ValidationError) as error:
        services.save_campaign(
            world.dongquang,
            services.CampaignData(
                questionnaire=other_q,
                title="",
                starts_on=date(2026, 3, 1),
                ends_on=date(2026, 2, 1),
                target=satisfaction_target,
                department=world.vhxh,
            ),
        )
    assert set(error.value.message_dict) == {"title", "ends_on", "target", "department"}


def test_answered_questionnaire_is_locked_but_can_be_copied(campaign):
    submit(campaign, full_answers(campaign))
    section = campaign.questionnaire.sections.first()
    with pytest.raises(ValidationError):
        services.add_question(section, kind=QuestionKind.RATING, text="Câu mới")
    copy = services.copy_questionnaire(campaign.questionnaire)
    new_section = copy.sections.first()
    question = services.add_question(new_section, kind=QuestionKind.RATING, text="Câu mới")
    assert question.order == new_section.questions.count()
    with pytest.raises(ValidationError):
        services.add_question(new_section, kind=QuestionKind.SINGLE, text="Chọn", options=["a"])


@override_settings(SURVEY_RATE_LIMIT=(3, 60))
def test_a_flood_from_one_address_is_limited(campaign):
    assert [services.rate_limited(campaign, "10.0.0.1") for _ in range(4)] == [
        False,
        False,
        False,
        True,
    ]
    assert services.rate_limited(campaign, "10.0.0.2") is False


def test_paper_answers_may_be_dated_in_a_closed_period(campaign):
    response = services.submit_response(
        campaign,
        services.Submission(values=full_answers(campaign)),
        source=ResponseSource.PAPER,
        on=date(2025, 12, 30),
    )
    assert response.submitted_on == date(2025, 12, 30)


def test_tallies_agree_with_the_answers_after_exclusions(campaign, world):
    from surveys.models import Tally

    focal = world.people[Role.FOCAL]
    responses = []
    for rating in (5, 4, 3, 2, 1, 5):
        values = full_answers(campaign, rating)
        multiple = next(
            q for q in services.questions_of(campaign) if q.kind == QuestionKind.MULTIPLE
        )
        values[multiple.field_name] = [str(rating % 3), "4"]
        responses.append(submit(campaign, values))
    services.exclude_response(responses[1], focal, "thử")
    services.exclude_response(responses[1], focal, "thử lại")  # twice counts once
    services.exclude_response(responses[4], focal, "trùng")
    services.include_response(responses[4], focal)
    services.include_response(responses[0], focal)  # never excluded: nothing changes
    kept = {(t.question_id, t.value): t.n for t in Tally.objects.filter(n__gt=0)}
    services.rebuild_tallies(campaign)
    assert {(t.question_id, t.value): t.n for t in Tally.objects.filter(n__gt=0)} == kept
    # the tallies (unfiltered) and the grouped answers (filtered) give the same page
    everything = services.ResultFilter(start=date(2000, 1, 1))
    assert everything.active
    fast, exact = services.results(campaign), services.results(campaign, everything)
    assert fast.overall == exact.overall and fast.responses == 5
    assert [r.distribution for t in fast.themes for r in t.questions] == [
        r.distribution for t in exact.themes for r in t.questions
    ]
