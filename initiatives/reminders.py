"""What the initiatives register reminds people of: the yearly goal 30, 7 and 1 days before its
date while fewer initiatives than the goal have been sent, to the unit's focal officers. Plan
targets have no due date of their own; the goal's date is the one reminded of."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.domains import Reminder
from initiatives.models import InitiativeGoal
from initiatives.services import sent_count
from notify.models import ReminderKind
from org.access import holders
from org.models import Role

GOAL_DAYS = (30, 7, 1)


def reminders(on: date) -> Iterator[Reminder]:
    goal_days = {on + timedelta(days=d): d for d in GOAL_DAYS}
    goals = [
        (goal, sent)
        for goal in InitiativeGoal.objects.filter(due__in=list(goal_days))
        if (sent := sent_count(goal)) < goal.minimum
    ]
    if not goals:
        return
    focal = holders(Role.FOCAL, units={goal.unit_id for goal, _sent in goals})
    with translation.override(settings.LANGUAGE_CODE):
        for goal, sent in goals:
            days = goal_days[goal.due]
            title = _(
                "Initiatives: %(sent)d of %(minimum)d sent to the reviewing body; due %(due)s"
            ) % {"sent": sent, "minimum": goal.minimum, "due": f"{goal.due:%d/%m/%Y}"}
            for user_id in sorted(focal.get(goal.unit_id, ())):
                yield Reminder(
                    user_id=user_id,
                    kind=ReminderKind.DUE_SOON,
                    key=f"initiative-goal:{goal.pk}:due{days}",
                    title=title,
                    url=reverse("initiative_list"),
                    due=goal.due,
                )
