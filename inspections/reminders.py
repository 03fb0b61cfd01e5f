"""What inspections remind people of.

- Self-checks: the inspected department's head (and the person in charge) 7, 3 and 1 days
  before the self-check is due, on the day, and every day it is late until it is sent.
- Findings: the responsible department's head (and the responsible person) 7, 3 and 1 days
  before the fix is due, and every day it is overdue (one key per finding: once per digest).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.domains import Reminder
from inspections.models import Finding, FindingStatus, RoundStatus, Subject
from notify.models import ReminderKind
from org.models import Role, RoleGrant

DAYS_BEFORE = (7, 3, 1, 0)
LATE_WINDOW_DAYS = 60  # a self-check is not chased for ever once the round is far behind


def _heads(department_ids: set[int]) -> dict[int, set[int]]:
    heads: dict[int, set[int]] = defaultdict(set)
    for department_id, user_id in RoleGrant.objects.filter(
        role=Role.DEPARTMENT_HEAD, department_id__in=department_ids, user__is_active=True
    ).values_list("department_id", "user_id"):
        heads[department_id].add(user_id)
    return heads


def _short(text: str, size: int = 110) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def reminders(on: date) -> Iterator[Reminder]:
    subjects = list(
        Subject.objects.filter(submitted_at__isnull=True)
        .exclude(round__status=RoundStatus.CONCLUDED)
        .filter(round__start__gte=on - timedelta(days=LATE_WINDOW_DAYS))
        .select_related("round__plan", "department")
    )
    findings = list(
        Finding.objects.filter(status=FindingStatus.OPEN, deadline__lte=on + timedelta(days=7))
        .select_related("responsible_department")
        .only(
            "pk",
            "description",
            "deadline",
            "responsible_department_id",
            "responsible_person_id",
            "responsible_department__name",
        )
    )
    heads = _heads(
        {s.department_id for s in subjects} | {f.responsible_department_id for f in findings}
    )
    with translation.override(settings.LANGUAGE_CODE):
        for subject in subjects:
            due = subject.round.self_check_due
            days = (due - on).days
            if days > 0 and days not in DAYS_BEFORE:
                continue
            if days > 0:
                text = _("Self-check due in %(n)d days") % {"n": days}
                key = f"selfcheck:{subject.pk}:due{days}"
            elif days == 0:
                text = _("Self-check due today")
                key = f"selfcheck:{subject.pk}:due0"
            else:
                if on > subject.round.end:
                    continue
                text = _("Self-check late by %(n)d days") % {"n": -days}
                key = f"selfcheck:{subject.pk}:late"
            people = set(heads[subject.department_id]) | ({subject.person_id} - {None})
            for user_id in sorted(people):
                yield Reminder(
                    user_id=user_id,
                    kind=ReminderKind.SELF_CHECK,
                    key=key,
                    title=f"{text}: {subject.department.name} – {_short(subject.round.name, 80)}",
                    url=f"/inspections/self-checks/{subject.pk}/",
                    due=due,
                )
        for finding in findings:
            days = (finding.deadline - on).days
            if days >= 0 and days not in DAYS_BEFORE:
                continue
            if days > 0:
                text = _("Fix due in %(n)d days") % {"n": days}
                key = f"finding:{finding.pk}:due{days}"
            elif days == 0:
                text = _("Fix due today")
                key = f"finding:{finding.pk}:due0"
            else:
                text = _("Fix overdue by %(n)d days") % {"n": -days}
                key = f"finding:{finding.pk}:overdue"
            people = set(heads[finding.responsible_department_id]) | (
                {finding.responsible_person_id} - {None}
            )
            for user_id in sorted(people):
                yield Reminder(
                    user_id=user_id,
                    kind=ReminderKind.FINDING,
                    key=key,
                    title=f"{text}: {_short(finding.description)}",
                    url=f"/inspections/findings/{finding.pk}/",
                    due=finding.deadline,
                )
