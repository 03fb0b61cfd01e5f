"""Derive every open task's status for today (run daily; pages also refresh stale plans)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from core import clock
from plans import services
from plans.models import Plan


class Command(BaseCommand):
    help = "Recompute task statuses so that passed due dates become overdue."

    def handle(self, *args, **options):
        on = clock.today()
        changed = services.refresh_all_statuses(on=on)
        Plan.objects.update(statuses_on=on)
        self.stdout.write(f"{changed} task statuses changed")
