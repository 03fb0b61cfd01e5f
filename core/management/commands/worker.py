"""`manage.py worker`: the background worker (`db_worker`), started after a sweep of what a
killed worker left behind (see `core.worker`). Takes every option of `db_worker`."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from core import worker


class Command(BaseCommand):
    help = "Run the background worker, after putting right what a killed worker left behind."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--worker-id", default="")
        parser.add_argument("--batch", action="store_true")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--no-startup-delay", action="store_false", dest="startup_delay")

    def handle(self, *args, worker_id, batch, interval, max_tasks, startup_delay, **options):
        worker_id = worker_id or get_random_string(32)
        swept = worker.start(worker_id)
        self.stdout.write(
            f"Worker {worker_id}: {swept.requeued} task(s) run again, {swept.failed} failed, "
            f"{swept.orphans} orphaned file(s) set aside."
        )
        extra = {"batch": batch, "interval": interval, "startup_delay": startup_delay}
        if max_tasks is not None:
            extra["max_tasks"] = max_tasks
        call_command("db_worker", worker_id=worker_id, **extra)
