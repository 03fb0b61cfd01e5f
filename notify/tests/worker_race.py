"""Run in a child process on a throwaway database (see test_two_workers): people with work due,
digests whose e-mail failed yesterday, and the same runs booked over and over, as several hosts
starting at once or an older queue would leave them."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from django.core.mail.backends.filebased import EmailBackend
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notify import tasks
from notify.models import Digest, ToDo
from org.models import User

PEOPLE = 6
HELD = datetime(2100, 1, 1, tzinfo=UTC)
DUPLICATE_DAILY_RUNS = 12
RETRY_RUNS = 8


class SlowMail(EmailBackend):
    """Writes messages to files as slowly as a mail server answers, so the workers overlap."""

    def send_messages(self, email_messages):
        time.sleep(0.05 * len(email_messages))
        return super().send_messages(email_messages)


def prepare(prefix: str = "") -> None:
    today = timezone.localdate()
    now = timezone.now()
    for i in range(PEOPLE):
        due = User.objects.create(
            username=f"{prefix}due{i}", email=f"{prefix}due{i}@example.vn", full_name="A"
        )
        ToDo.objects.create(
            user=due,
            key=f"{prefix}race:{i}",
            kind="due_soon",
            title="Work",
            due=today + timedelta(3),
            handed_at=now,
        )
        late = User.objects.create(
            username=f"{prefix}late{i}", email=f"{prefix}late{i}@example.vn", full_name="B"
        )
        Digest.objects.create(user=late, day=today - timedelta(1), attempts=1, last_error="down")
    day = today.isoformat()
    for _ in range(3):
        tasks.ensure_scheduled()  # each host's start-up books today's run
    for _ in range(DUPLICATE_DAILY_RUNS):  # copies of the same run already in the queue
        tasks.daily_reminders.enqueue(day, tasks.daily_key(day))
    for i in range(RETRY_RUNS):  # retries booked by several failed runs, keyed or from before keys
        tasks.retry_reminder_emails.enqueue("reminder-retry:same" if i % 2 else "")
    # Held back until both workers are waiting for work (see test_two_workers), so they race.
    # (A task queued without a time has the largest date; tomorrow's run stays where it is.)
    DBTaskResult.objects.filter(
        Q(run_after__lte=now + timedelta(minutes=1)) | Q(run_after__year=9999)
    ).update(run_after=HELD)
