"""What surveys remind people of: a campaign closing in 3 days or tomorrow, to the unit's focal
officers and the campaign's author."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.domains import Reminder
from notify.models import ReminderKind
from org.access import holders
from org.models import Role
from surveys.models import Campaign

CAMPAIGN_DAYS = (3, 1)


def reminders(on: date) -> Iterator[Reminder]:
    closing = {on + timedelta(days=d): d for d in CAMPAIGN_DAYS}
    campaigns = list(
        Campaign.objects.filter(ends_on__in=list(closing), closed=False, starts_on__lte=on)
    )
    if not campaigns:
        return
    focal = holders(Role.FOCAL, units={c.unit_id for c in campaigns})
    with translation.override(settings.LANGUAGE_CODE):
        for campaign in campaigns:
            days = closing[campaign.ends_on]
            when = _("closes tomorrow") if days == 1 else _("closes in %(n)d days") % {"n": days}
            people = set(focal.get(campaign.unit_id, ()))
            if campaign.created_by_id:
                people.add(campaign.created_by_id)
            for user_id in sorted(people):
                yield Reminder(
                    user_id=user_id,
                    kind=ReminderKind.DUE_SOON,
                    key=f"survey-campaign:{campaign.pk}:close{days}",
                    title=_("Survey “%(title)s” %(when)s")
                    % {"title": campaign.title, "when": when},
                    url=reverse("survey_campaign", args=[campaign.pk]),
                    due=campaign.ends_on,
                )
