"""Who must act next in an inspection, told through notify's hand-offs: a department asked for
its self-check, a department given a finding to fix, a team whose finding was answered."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core import clock
from core.domains import Handoff
from inspections.models import Finding, Subject
from notify import handoffs
from notify.models import ReminderKind
from org.access import department_heads

# The team is asked to verify an answer within a week.
VERIFY_WITHIN_DAYS = 7


def _short(text: str, size: int = 110) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _self_check_key(subject: Subject) -> str:
    return f"self-check:{subject.pk}:send"


def _finding_key(finding: Finding, step: str) -> str:
    return f"finding:{finding.pk}:{step}"


def self_check_asked(subject: Subject) -> None:
    round_ = subject.round
    with translation.override("vi"):
        title = _("Self-check of %(department)s for %(round)s") % {
            "department": subject.department.name,
            "round": _short(round_.name, 80),
        }
    handoffs.hand_off(
        Handoff(
            key=_self_check_key(subject),
            kind=ReminderKind.SELF_CHECK,
            title=title,
            people=frozenset(department_heads(subject.department_id) | {subject.person_id}),
            url=reverse("inspection_subject_detail", args=[subject.pk]),
            due=round_.self_check_due,
            remind=False,  # inspections' own reminders chase the self-check's due date
        )
    )


def self_check_sent(subject: Subject) -> None:
    handoffs.done(_self_check_key(subject))


def finding_to_fix(finding: Finding, *, reason: str = "") -> None:
    """The responsible department (its heads and the person in charge) must fix a finding."""
    with translation.override("vi"):
        if reason:
            title = _("Finding returned, fix again: %(finding)s (%(reason)s)")
        else:
            title = _("Finding to fix: %(finding)s")
        title %= {"finding": _short(finding.description), "reason": _short(reason, 80)}
    handoffs.done(_finding_key(finding, "verify"))
    handoffs.hand_off(
        Handoff(
            key=_finding_key(finding, "fix"),
            kind=ReminderKind.FINDING,
            title=title,
            people=frozenset(
                department_heads(finding.responsible_department_id)
                | {finding.responsible_person_id}
            ),
            url=reverse("finding_detail", args=[finding.pk]),
            due=finding.deadline,
            remind=False,  # inspections' own reminders chase the fix's deadline
        )
    )


def finding_answered(finding: Finding) -> None:
    """The department answered: the team verifies the fix."""
    handoffs.done(_finding_key(finding, "fix"))
    team = finding.round.scope_team_ids()
    with translation.override("vi"):
        title = _("Finding answered, verify the fix: %(finding)s") % {
            "finding": _short(finding.description)
        }
    handoffs.hand_off(
        Handoff(
            key=_finding_key(finding, "verify"),
            kind=ReminderKind.FINDING,
            title=title,
            people=frozenset(team),
            url=reverse("finding_detail", args=[finding.pk]),
            due=clock.today() + timedelta(days=VERIFY_WITHIN_DAYS),
        )
    )


def finding_settled(finding: Finding) -> None:
    handoffs.done(_finding_key(finding, "fix"), _finding_key(finding, "verify"))
