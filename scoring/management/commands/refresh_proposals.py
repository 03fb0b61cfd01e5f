"""Recompute the proposals of every draft self-assessment of a period: queued for the background
worker, or with --now in this process."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from scoring import services
from scoring.models import Period
from scoring.tasks import refresh_period_proposals


class Command(BaseCommand):
    help = (
        "Recompute the proposed scores of every draft self-assessment of a period "
        "(queued for the worker; --now runs it here)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", type=int, required=True, help="the period's id")
        parser.add_argument("--now", action="store_true", help="run here instead of queueing")

    def handle(self, *args, period: int, now: bool, **options) -> None:
        found = Period.objects.select_related("framework").filter(pk=period).first()
        if found is None:
            raise CommandError(f"No period {period}.")
        if found.closed_at is not None:
            raise CommandError(f"The period {period} is closed; its proposals no longer change.")
        if not now:
            result = refresh_period_proposals.enqueue(found.pk)
            self.stdout.write(f"Queued for the worker: task {result.id}.")
            return
        report = services.refresh_period(found)
        self.stdout.write(
            f"{report.assessments} drafts checked, {report.changed_assessments} changed, "
            f"{report.proposals_changed} proposals changed, {len(report.failed)} failed, "
            f"{report.seconds:.1f} s"
        )
        if report.failed:
            raise CommandError(f"Failed: assessments {', '.join(map(str, report.failed))}.")
