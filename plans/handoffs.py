"""Who must act on a task every department carries out: each department's heads get their
part in "My work" when the part is given, and it leaves their list once the part is done."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.domains import Handoff
from notify import handoffs
from notify.models import ReminderKind
from org.access import department_heads
from plans.models import PlanStatus, TaskPart


def _key(part: TaskPart) -> str:
    return f"task-part:{part.pk}"


def _short(text: str, size: int = 120) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def parts_given(parts: Iterable[TaskPart]) -> None:
    """Hand each open part to the heads of its department (the plan's own reminders chase the
    task's deadlines, so the to-do is not reminded again)."""
    for part in parts:
        task = part.task
        if part.completed_on or task.plan.status == PlanStatus.CLOSED:
            continue
        with translation.override("vi"):
            title = _("Report the part of %(department)s: %(task)s") % {
                "department": part.department.name,
                "task": _short(f"{task.area.code}.{task.number} {task.content}".strip(". ")),
            }
        handoffs.hand_off(
            Handoff(
                key=_key(part),
                kind=ReminderKind.DUE_SOON,
                title=title,
                people=frozenset(department_heads(part.department_id)),
                url=reverse("task_detail", args=[task.pk]) + f"#part-{part.pk}",
                due=task.next_due,
                remind=False,
            )
        )


def part_reported(part: TaskPart) -> None:
    """Done: off the heads' lists; reopened below 100%: back on them."""
    if part.completed_on:
        handoffs.done(_key(part))
    else:
        parts_given([part])


def parts_withdrawn(part_ids: Iterable[int]) -> None:
    """The task is no longer every department's: their to-dos go."""
    keys = [f"task-part:{pk}" for pk in part_ids]
    if keys:
        handoffs.done(*keys)
