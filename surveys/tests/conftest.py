from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache

from org.models import Role
from plans import services as plan_services
from plans.tests.conftest import frozen_today, in_force, plan  # noqa: F401
from surveys import services
from surveys.models import Campaign, Question, QuestionKind


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def satisfaction_target(plan, in_force):  # noqa: F811
    return plan_services.add_target(
        plan,
        "Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính "
        "nhà nước đạt tối thiểu 90%",
    )


@pytest.fixture
def campaign(world, frozen_today, satisfaction_target) -> Campaign:  # noqa: F811
    questionnaire = services.create_default_questionnaire(world.thanhdong)
    return services.save_campaign(
        world.thanhdong,
        services.CampaignData(
            questionnaire=questionnaire,
            title="Khảo sát tại Trung tâm Phục vụ hành chính công quý I/2026",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 3, 31),
            department=world.vhxh,
            target=satisfaction_target,
        ),
        by=world.people[Role.FOCAL],
    )


def full_answers(campaign: Campaign, rating: int = 5) -> dict[str, list[str]]:
    """Every required question answered; ratings all `rating`."""
    values: dict[str, list[str]] = {}
    for q in Question.objects.filter(section__questionnaire=campaign.questionnaire):
        if q.kind == QuestionKind.RATING:
            values[q.field_name] = [str(rating)]
        elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YES_NO):
            values[q.field_name] = ["0"]
        elif q.kind == QuestionKind.TEXT:
            values[q.field_name] = [""]
    return values
