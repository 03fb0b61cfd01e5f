"""Scheduled work: the daily reminder run, and retries of e-mails that could not be sent."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from notify import services
from notify.models import DailyRun


@task()
def daily_reminders(day: str) -> dict:
    """Run the reminders of `day`, then book the next day's run (the schedule keeps itself)."""
    on = date.fromisoformat(day)
    result = services.run_daily(on)
    next_day = on + timedelta(days=1)
    schedule(next_day)
    if result.emails_failed:
        retry_reminder_emails.using(
            run_after=timezone.now() + timedelta(minutes=settings.REMINDER_RETRY_MINUTES)
        ).enqueue()
    return {"people": result.people, "reminders": result.reminders, "failed": result.emails_failed}


@task()
def retry_reminder_emails() -> dict:
    result = services.retry_pending()
    if result.emails_failed:
        retry_reminder_emails.using(
            run_after=timezone.now() + timedelta(minutes=settings.REMINDER_RETRY_MINUTES)
        ).enqueue()
    return {"sent": result.emails_sent, "failed": result.emails_failed}


def _pending(day: str) -> bool:
    from django_tasks_db.models import DBTaskResult

    booked = DBTaskResult.objects.filter(task_path=daily_reminders.module_path, status="READY")
    return any(
        args_kwargs.get("args") == [day]
        for args_kwargs in booked.values_list("args_kwargs", flat=True)
    )


def schedule(on: date) -> None:
    """Book the run of `on` at the reminder hour, unless it is booked or done already."""
    day = on.isoformat()
    if DailyRun.objects.filter(day=on).exists() or _pending(day):
        return
    at = timezone.make_aware(datetime(on.year, on.month, on.day, settings.REMINDER_HOUR))
    daily_reminders.using(run_after=max(at, timezone.now())).enqueue(day)


def ensure_scheduled() -> None:
    """At start-up: today's run if its hour has passed and it has not run, and tomorrow's."""
    now = timezone.localtime()
    today = now.date()
    if now.hour >= settings.REMINDER_HOUR:
        schedule(today)
    schedule(today + timedelta(days=1))
