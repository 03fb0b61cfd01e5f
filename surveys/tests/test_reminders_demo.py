from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command

from notify.models import ReminderKind
from org.models import Role
from plans import services as plan_services
from surveys import reminders, services
from surveys.models import Campaign, Response

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


@pytest.mark.django_db(transaction=True)
def test_demo_loads_once():
    call_command("load_demo", "--quiet")
    campaign = Campaign.objects.get(unit__code="31-THANHDONG")
    assert Response.objects.filter(campaign=campaign).count() == 42
    assert campaign.target is not None and "hài lòng" in campaign.target.text
    latest = plan_services.target_state(campaign.target).latest
    assert latest.source == services.target_source(campaign)
    assert latest.value == services.overall_figure(campaign).share
    communes = set(Campaign.objects.values_list("unit__code", flat=True))
    assert communes == {"31-THANHDONG", "31-THAITAN", "38-DONGQUANG", "42-THANHSEN"}
    call_command("load_demo", "--quiet")
    assert Campaign.objects.count() == len(communes)
