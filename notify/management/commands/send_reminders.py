"""Run the daily reminders now (for a day), or book the schedule the worker keeps."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from notify import services
from notify.tasks import ensure_scheduled


class Command(BaseCommand):
    help = "Send today's reminders (idempotent), or with --schedule book the daily runs."

    def add_arguments(self, parser):
        parser.add_argument("--day", help="YYYY-MM-DD; today when left out")
        parser.add_argument("--schedule", action="store_true", help="only book the daily runs")

    def handle(self, *args, day: str | None, schedule: bool, **options):
        if schedule:
            ensure_scheduled()
            self.stdout.write("Reminders booked for the worker.")
            return
        on = date.fromisoformat(day) if day else timezone.localdate()
        result = services.run_daily(on)
        retried = services.retry_pending()
        self.stdout.write(
            f"{on:%d/%m/%Y}: {result.people} people, {result.reminders} reminders, "
            f"{result.emails_sent + retried.emails_sent} e-mails sent, "
            f"{result.emails_failed + retried.emails_failed} waiting for a retry"
        )
