"""What the daily run reminds of handed-over work: what is due soon or late (unless the domain
already chases that deadline), and late work escalated. The hand-off itself reaches the digest
through its bell notice (`notify.services.run_daily`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.domains import Reminder
from notify.models import ReminderKind, ToDo

DAYS_BEFORE = (7, 3, 1)


def reminders(on: date) -> Iterator[Reminder]:
    escalate_after = settings.REMINDER_ESCALATION_DAYS
    open_todos = ToDo.objects.filter(done_at__isnull=True)
    with translation.override(settings.LANGUAGE_CODE):
        watched = [on + timedelta(days=d) for d in DAYS_BEFORE]
        for todo in open_todos.filter(remind=True, due__in=watched):
            days = (todo.due - on).days
            text = _("Due in %(n)d days") % {"n": days} if days > 1 else _("Due tomorrow")
            yield Reminder(
                user_id=todo.user_id,
                kind=ReminderKind.DUE_SOON,
                key=f"todo:{todo.pk}:due{days}",
                title=f"{text}: {todo.title}",
                url=todo.url,
                due=todo.due,
            )
        for todo in open_todos.filter(due__lt=on):
            late = (on - todo.due).days
            if todo.remind:
                yield Reminder(
                    user_id=todo.user_id,
                    kind=ReminderKind.OVERDUE,
                    key=f"todo:{todo.pk}:late",
                    title=_("Late by %(n)d days: %(title)s") % {"n": late, "title": todo.title},
                    url=todo.url,
                    due=todo.due,
                )
            if late >= escalate_after:
                for user_id in todo.escalate_to:
                    yield Reminder(
                        user_id=user_id,
                        kind=ReminderKind.ESCALATION,
                        key=f"todo:{todo.pk}:escalated",
                        title=_("Late by %(n)d days (%(who)s): %(title)s")
                        % {"n": late, "who": todo.user, "title": todo.title},
                        url=todo.url,
                        due=todo.due,
                    )
