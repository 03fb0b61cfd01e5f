from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command

from notify.models import ReminderKind
from org.models import Role
from plans import services as plan_services
from plans.models import Target
from surveys import initiatives, reminders, services
from surveys.models import Campaign, Initiative, InitiativeStatus, Response

pytestmark = pytest.mark.django_db


def test_campaign_closing_soon_is_reminded(campaign, world):
    day = campaign.ends_on - timedelta(days=3)
    found = list(reminders.reminders(day))
    assert {r.user_id for r in found} == {world.people[Role.FOCAL].pk}
    assert found[0].kind == ReminderKind.DUE_SOON
    assert found[0].key == f"survey-campaign:{campaign.pk}:close3"
    assert campaign.title in found[0].title
    assert list(reminders.reminders(campaign.ends_on - timedelta(days=2))) == []
    services.close_campaign(campaign)
    assert list(reminders.reminders(day)) == []


def test_initiative_goal_feeds_its_target_and_is_reminded_until_met(world, plan, frozen_today):
    goal = initiatives.set_goal(
        world.thanhdong, year=2026, minimum=1, due=date(2026, 11, 20), plan=plan
    )
    target = Target.objects.get(pk=goal.target_id)
    assert "20/11/2026" in target.text and target.value == 1
    state = plan_services.target_state(target)
    assert state.latest.value == 0 and state.attainment == "not_met"
    due_in_7 = list(reminders.reminders(date(2026, 11, 13)))
    assert [r.key for r in due_in_7] == [f"initiative-goal:{goal.pk}:due7"]
    initiative = initiatives.save_initiative(
        world.thanhdong,
        initiatives.InitiativeData(
            title="Một cửa không giấy", authors="A", problem="P", solution="S"
        ),
        by=world.people[Role.OFFICER],
    )
    with pytest.raises(Exception):  # noqa: B017 - a proposed one cannot be recognised directly
        initiatives.move_initiative(initiative, InitiativeStatus.RECOGNISED_PROVINCE)
    initiatives.move_initiative(initiative, InitiativeStatus.SENT, on=date(2026, 11, 2))
    assert plan_services.target_state(target).attainment == "met"
    assert list(reminders.reminders(date(2026, 11, 13))) == []
    # sent after the date does not count for the goal
    initiatives.move_initiative(initiative, InitiativeStatus.PROPOSED)
    initiatives.move_initiative(initiative, InitiativeStatus.SENT, on=date(2026, 11, 25))
    assert plan_services.target_state(target).latest.value == Decimal(0)


@pytest.mark.django_db(transaction=True)
def test_demo_loads_once():
    call_command("load_demo", "--quiet")
    campaign = Campaign.objects.get(unit__code="31-THANHDONG")
    assert Response.objects.filter(campaign=campaign).count() == 42
    assert campaign.target is not None and "hài lòng" in campaign.target.text
    latest = plan_services.target_state(campaign.target).latest
    assert latest.source == services.target_source(campaign)
    assert latest.value == services.overall_figure(campaign).share
    assert Initiative.objects.filter(unit=campaign.unit).count() == 3
    call_command("load_demo", "--quiet")
    assert Campaign.objects.count() == 1 and Initiative.objects.count() == 3
