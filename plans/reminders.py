"""What plans remind people of: milestones due in 7, 3 and 1 days, overdue ones, and overdue
work escalated to the head of the lead department after a number of days. A task every
department carries out reminds the head of each department whose part is not done yet."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.domains import Reminder
from notify.models import ReminderKind
from org.access import holders
from org.models import Role
from plans.models import Milestone, Task, TaskPart, TaskStatus
from plans.services import refresh_all_statuses

DAYS_BEFORE = (7, 3, 1)
FIELDS = (
    "pk",
    "due",
    "label",
    "task_id",
    "task__number",
    "task__content",
    "task__area__code",
    "task__lead_department_id",
)


def _open_milestones():
    return (
        Milestone.objects.in_force()
        .filter(done_on__isnull=True, due__isnull=False)
        .exclude(task__status__in=[TaskStatus.DONE, TaskStatus.DONE_LATE])
    )


def _title(row: dict, text: str) -> str:
    number = f"{row['task__area__code']}.{row['task__number']}".strip(".")
    content = row["task__content"]
    content = content if len(content) <= 120 else content[:119] + "…"
    return f"{text}: {number} {content}"


def reminders(on: date) -> Iterator[Reminder]:
    # Derive statuses for the day first, so that work done late is not reminded of.
    refresh_all_statuses(on=on)
    soon_days = {on + timedelta(days=d): d for d in DAYS_BEFORE}
    soon = list(_open_milestones().filter(due__in=list(soon_days)).values(*FIELDS))
    overdue = list(_open_milestones().filter(due__lt=on).values(*FIELDS))
    task_ids = {row["task_id"] for row in soon + overdue}
    assignees: dict[int, list[int]] = defaultdict(list)
    for task_id, user_id in Task.assignees.through.objects.filter(task_id__in=task_ids).values_list(
        "task_id", "user_id"
    ):
        assignees[task_id].append(user_id)
    # the departments whose part of an every-department task is still open
    open_parts: dict[int, list[int]] = defaultdict(list)
    for task_id, department_id in (
        TaskPart.objects.filter(task_id__in=task_ids, task__all_departments=True)
        .exclude(status__in=[TaskStatus.DONE, TaskStatus.DONE_LATE])
        .values_list("task_id", "department_id")
    ):
        open_parts[task_id].append(department_id)
    departments = {row["task__lead_department_id"] for row in soon + overdue}
    departments |= {d for ids in open_parts.values() for d in ids}
    heads: dict[int, list[int]] = defaultdict(list)
    for department_id, ids in holders(Role.DEPARTMENT_HEAD, departments=departments).items():
        heads[department_id] = sorted(ids)
    escalate_after = settings.REMINDER_ESCALATION_DAYS

    def responsible(row: dict) -> list[int]:
        if row["task_id"] in open_parts:
            people = {u for d in open_parts[row["task_id"]] for u in heads[d]}
            return sorted(people | set(assignees[row["task_id"]]))
        return assignees[row["task_id"]] or heads[row["task__lead_department_id"]]

    def escalated_to(row: dict) -> list[int]:
        if row["task_id"] in open_parts:
            return sorted({u for d in open_parts[row["task_id"]] for u in heads[d]})
        return heads[row["task__lead_department_id"]]

    with translation.override(settings.LANGUAGE_CODE):
        for row in soon:
            days = soon_days[row["due"]]
            text = _("Due in %(n)d days") % {"n": days} if days > 1 else _("Due tomorrow")
            yield from _to_each(responsible(row), row, ReminderKind.DUE_SOON, f"due{days}", text)
        for row in overdue:
            late = (on - row["due"]).days
            text = _("Overdue by %(n)d days") % {"n": late}
            yield from _to_each(responsible(row), row, ReminderKind.OVERDUE, "overdue", text)
            if late >= escalate_after:
                text = _("Overdue by %(n)d days in your department") % {"n": late}
                yield from _to_each(
                    escalated_to(row), row, ReminderKind.ESCALATION, "escalation", text
                )


def _to_each(user_ids: list[int], row: dict, kind: str, step: str, text: str) -> Iterator[Reminder]:
    """The reminder of one step (due soon, overdue, escalated) of a milestone, to each person."""
    for user_id in user_ids:
        yield Reminder(
            user_id=user_id,
            kind=kind,
            key=f"milestone:{row['pk']}:{step}",
            title=_title(row, text),
            url=f"/plans/tasks/{row['task_id']}/",
            due=row["due"],
        )
