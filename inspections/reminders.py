"""What inspections remind people of.

- Self-checks: the inspected department's head (and the person in charge) 7, 3 and 1 days
  before the self-check is due, on the day, and every day it is late until it is sent.
- Findings: the responsible department's head (and the responsible person) 7, 3 and 1 days
  before the fix is due, and every day it is overdue (one key per finding: once per digest).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.domains import Reminder
from inspections.models import Finding, FindingStatus, RoundStatus, Subject
from notify.models import ReminderKind
from org.access import holders
from org.models import Role

DAYS_BEFORE = (7, 3, 1, 0)
LATE_WINDOW_DAYS = 60  # a self-check is not chased for ever once the round is far behind


def _short(text: str, size: int = 110) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _notice(days: int, before: tuple[str, str], after: tuple[str, str]) -> tuple[str, str] | None:
    """What to say `days` before the due date (after it, when negative), and the step of the
    reminder's key; None on a day nothing is said."""
    if days > 0 and days not in DAYS_BEFORE:
        return None
    if days > 0:
        return before[0] % {"n": days}, f"due{days}"
    if days == 0:
        return before[1], "due0"
    return after[0] % {"n": -days}, after[1]


def _remind(people: set[int | None], **reminder) -> Iterator[Reminder]:
    for user_id in sorted(people - {None}):
        yield Reminder(user_id=user_id, **reminder)


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
    heads = holders(
        Role.DEPARTMENT_HEAD,
        departments={s.department_id for s in subjects}
        | {f.responsible_department_id for f in findings},
    )
    with translation.override(settings.LANGUAGE_CODE):
        for subject in subjects:
            due = subject.round.self_check_due
            days = (due - on).days
            if days < 0 and on > subject.round.end:
                continue  # the round is over: a self-check is no longer chased
            notice = _notice(
                days,
                (_("Self-check due in %(n)d days"), _("Self-check due today")),
                (_("Self-check late by %(n)d days"), "late"),
            )
            if notice is None:
                continue
            text, step = notice
            yield from _remind(
                heads.get(subject.department_id, set()) | {subject.person_id},
                kind=ReminderKind.SELF_CHECK,
                key=f"selfcheck:{subject.pk}:{step}",
                title=f"{text}: {subject.department.name} – {_short(subject.round.name, 80)}",
                url=f"/inspections/self-checks/{subject.pk}/",
                due=due,
            )
        for finding in findings:
            notice = _notice(
                (finding.deadline - on).days,
                (_("Fix due in %(n)d days"), _("Fix due today")),
                (_("Fix overdue by %(n)d days"), "overdue"),
            )
            if notice is None:
                continue
            text, step = notice
            yield from _remind(
                heads.get(finding.responsible_department_id, set())
                | {finding.responsible_person_id},
                kind=ReminderKind.FINDING,
                key=f"finding:{finding.pk}:{step}",
                title=f"{text}: {_short(finding.description)}",
                url=f"/inspections/findings/{finding.pk}/",
                due=finding.deadline,
            )
