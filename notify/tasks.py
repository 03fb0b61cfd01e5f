"""Scheduled work: the daily reminder run, and retries of e-mails that could not be sent.

Every run is booked under a key (`ScheduledRun`): booking inserts the key in the same transaction
as the queued task, and the task claims the key before doing anything, so several workers, hosts
or start-ups booking the same run queue it once and run it once."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core import worker
from core.domains import NightlyWork, plugins
from notify import services
from notify.models import DailyRun, ScheduledRun

log = logging.getLogger(__name__)


def book(key: str, task_to_run, run_after: datetime, *args) -> bool:
    """Queue `task_to_run(*args, key)` at `run_after` unless `key` is booked already."""
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(key=key)
            task_to_run.using(run_after=run_after).enqueue(*args, key)
    except IntegrityError:
        return False
    return True


_RUN_OF = {name: f"notify.tasks.{name}" for name in ("daily_reminders", "retry_reminder_emails")}


def _taken_over(task_path: str, first_arg: str) -> bool:
    """May this task take over a run started and never finished? Only when it is itself a copy
    run again because the worker running it was killed (`core.worker` puts it back in the queue:
    its worker ids name the dead worker, then this one) and no other copy of the run is running
    on a worker that is alive."""
    mine = others = False
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, task_path=task_path):
        args = (result.args_kwargs or {}).get("args") or [""]
        if args[0] != first_arg or not result.worker_ids:
            continue
        if result.worker_ids[-1] in worker._leases:  # a worker runs one task at a time: this one
            mine = mine or len(result.worker_ids) > 1
        elif worker.is_alive(result.worker_ids[-1]):
            others = True
    return mine and not others


def claim(key: str, task_path: str = "", first_arg: str = "") -> bool:
    """Take the run of `key` for this worker; false when another worker took it already.
    A run started and never finished by a worker that was killed is taken over by its task run
    again (`_taken_over`): what the run does is safe to do again, each digest being sent at
    most once (`services._deliver`)."""
    if not key:
        return True  # queued before runs had keys
    try:
        with transaction.atomic():
            ScheduledRun.objects.get_or_create(key=key)
    except IntegrityError:
        pass  # booked at this very moment by another worker: the update below decides
    now = timezone.now()
    if ScheduledRun.objects.filter(key=key, started_at__isnull=True).update(started_at=now):
        return True
    if not task_path or not _taken_over(task_path, first_arg):
        return False
    return bool(
        ScheduledRun.objects.filter(key=key, finished_at__isnull=True).update(started_at=now)
    )


def _finish(key: str) -> None:
    ScheduledRun.objects.filter(key=key).update(finished_at=timezone.now())


def _book_retry() -> None:
    at = timezone.now() + timedelta(minutes=settings.REMINDER_RETRY_MINUTES)
    book(f"reminder-retry:{at:%Y-%m-%dT%H:%M}", retry_reminder_emails, at)


@task()
def daily_reminders(day: str, key: str = "") -> dict:
    """Run the reminders of `day`, then book the next day's run (the schedule keeps itself)."""
    if not claim(key or daily_key(day), _RUN_OF["daily_reminders"], day):
        return {"skipped": True}
    on = date.fromisoformat(day)
    result = services.run_daily(on)
    queued = _queue_nightly(on)
    schedule(on + timedelta(days=1))
    if result.emails_failed:
        _book_retry()
    _finish(key or daily_key(day))
    return {
        "people": result.people,
        "reminders": result.reminders,
        "failed": result.emails_failed,
        **queued,
    }


def _queue_nightly(on: date) -> dict[str, int]:
    """Each domain's daily background work, queued (`core.domains.NightlyWork`). A domain that
    fails to queue is logged; the reminders are sent all the same. Queued twice when a run is
    taken over: the work is safe to do again."""
    queued: dict[str, int] = {}
    for plugin in plugins(NightlyWork):
        try:
            queued.update(plugin.queue_nightly(on))
        except Exception:
            log.exception("Nightly work of %s could not be queued", plugin.__name__)
    return queued


@task()
def retry_reminder_emails(key: str = "") -> dict:
    if not claim(key, _RUN_OF["retry_reminder_emails"], key):
        return {"skipped": True}
    result = services.retry_pending()
    if result.emails_failed:
        _book_retry()
    _finish(key)
    return {"sent": result.emails_sent, "failed": result.emails_failed}


def daily_key(day: str) -> str:
    return f"daily-reminders:{day}"


def schedule(on: date) -> None:
    """Book the run of `on` at the reminder hour, unless it is booked or done already."""
    day = on.isoformat()
    if DailyRun.objects.filter(day=on).exists():
        return
    at = timezone.make_aware(datetime(on.year, on.month, on.day, settings.REMINDER_HOUR))
    book(daily_key(day), daily_reminders, max(at, timezone.now()), day)


def ensure_scheduled() -> None:
    """At start-up: today's run if its hour has passed and it has not run, and tomorrow's."""
    now = timezone.localtime()
    today = now.date()
    if now.hour >= settings.REMINDER_HOUR:
        schedule(today)
    schedule(today + timedelta(days=1))
