from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from initiatives import reminders, services
from initiatives.models import Initiative, InitiativeStatus
from org.models import Role
from plans import services as plan_services
from plans.models import Target

pytestmark = pytest.mark.django_db


def test_initiative_goal_feeds_its_target_and_is_reminded_until_met(world, plan, frozen_today):
    goal = services.set_goal(
        world.thanhdong, year=2026, minimum=1, due=date(2026, 11, 20), plan=plan
    )
    target = Target.objects.get(pk=goal.target_id)
    assert "20/11/2026" in target.text and target.value == 1
    state = plan_services.target_state(target)
    assert state.latest.value == 0 and state.attainment == "not_met"
    due_in_7 = list(reminders.reminders(date(2026, 11, 13)))
    assert [r.key for r in due_in_7] == [f"initiative-goal:{goal.pk}:due7"]
    assert {r.user_id for r in due_in_7} == {world.people[Role.FOCAL].pk}
    initiative = services.save_initiative(
        world.thanhdong,
        services.InitiativeData(title="Một cửa không giấy", authors="A", problem="P", solution="S"),
        by=world.people[Role.OFFICER],
    )
    with pytest.raises(Exception):  # noqa: B017 - a proposed one cannot be recognised directly
        services.move_initiative(initiative, InitiativeStatus.RECOGNISED_PROVINCE)
    services.move_initiative(initiative, InitiativeStatus.SENT, on=date(2026, 11, 2))
    assert plan_services.target_state(target).attainment == "met"
    assert list(reminders.reminders(date(2026, 11, 13))) == []
    # sent after the date does not count for the goal
    services.move_initiative(initiative, InitiativeStatus.PROPOSED)
    services.move_initiative(initiative, InitiativeStatus.SENT, on=date(2026, 11, 25))
    assert plan_services.target_state(target).latest.value == Decimal(0)


def test_the_register_keeps_the_tables_it_had_in_surveys():
    assert Initiative._meta.app_label == "initiatives"
    assert Initiative._meta.db_table == "surveys_initiative"


@pytest.mark.django_db(transaction=True)
def test_demo_loads_once():
    call_command("load_demo", "--quiet")
    assert Initiative.objects.filter(unit__code="31-THANHDONG").count() == 3
    sent = Initiative.objects.filter(status=InitiativeStatus.RECOGNISED_COMMUNE).get()
    assert sent.sent_on is not None and sent.decided_on is not None
    call_command("load_demo", "--quiet")
    assert Initiative.objects.count() == 3
