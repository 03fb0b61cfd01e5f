"""What surveys and initiatives remind people of: a campaign closing in 3 days or tomorrow (to the
unit's focal officers and the campaign's author), and the yearly initiatives goal 30, 7 and 1
days before its date while fewer initiatives than the goal have been sent (to focal officers).
Plan targets have no due date of their own; the goal's date is the one reminded of."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.domains import Reminder
from notify.models import ReminderKind
from org.models import Role, RoleGrant
from surveys.initiatives import sent_count
from surveys.models import Campaign, InitiativeGoal

CAMPAIGN_DAYS = (3, 1)
GOAL_DAYS = (30, 7, 1)


def _focal_officers(unit_ids: set[int]) -> dict[int, set[int]]:
    people: dict[int, set[int]] = defaultdict(set)
    for unit_id, user_id in RoleGrant.objects.filter(
        role=Role.FOCAL, unit_id__in=unit_ids, user__is_active=True
    ).values_list("unit_id", "user_id"):
        people[unit_id].add(user_id)
    return people


def reminders(on: date) -> Iterator[Reminder]:
    closing = {on + timedelta(days=d): d for d in CAMPAIGN_DAYS}
    campaigns = list(
        Campaign.objects.filter(ends_on__in=list(closing), closed=False, starts_on__lte=on)
    )
    goal_days = {on + timedelta(days=d): d for d in GOAL_DAYS}
    goals = [
        g
        for g in InitiativeGoal.objects.filter(due__in=list(goal_days))
        if sent_count(g) < g.minimum
    ]
    focal = _focal_officers({c.unit_id for c in campaigns} | {g.unit_id for g in goals})
    with translation.override(settings.LANGUAGE_CODE):
        for campaign in campaigns:
            days = closing[campaign.ends_on]
            when = _("closes tomorrow") if days == 1 else _("closes in %(n)d days") % {"n": days}
            people = set(focal[campaign.unit_id])
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
        for goal in goals:
            days = goal_days[goal.due]
            title = _(
                "Initiatives: %(sent)d of %(minimum)d sent to the reviewing body; due %(due)s"
            ) % {"sent": sent_count(goal), "minimum": goal.minimum, "due": f"{goal.due:%d/%m/%Y}"}
            for user_id in sorted(focal[goal.unit_id]):
                yield Reminder(
                    user_id=user_id,
                    kind=ReminderKind.DUE_SOON,
                    key=f"initiative-goal:{goal.pk}:due{days}",
                    title=title,
                    url=reverse("initiative_list"),
                    due=goal.due,
                )
