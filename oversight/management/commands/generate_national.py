"""Fill the database with plausible national data (see `oversight.national`)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import translation

from oversight.national import PROVINCES, generate


def database_size() -> str:
    """The database's size as PostgreSQL reports it; the file's size for SQLite."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            return cursor.fetchone()[0]
        cursor.execute("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size")
        return f"{cursor.fetchone()[0] / 1_048_576:.1f} MB"


class Command(BaseCommand):
    help = (
        "Generate provinces, communes and years of CCHC work for measuring the system at the "
        "size of the country (deterministic with the seed; running it again continues)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--provinces", type=int, default=len(PROVINCES))
        parser.add_argument(
            "--communes", type=int, default=None, help="in all (default: the country's share)"
        )
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, provinces, communes, years, seed, **options):
        if not 1 <= provinces <= 99:
            raise CommandError("--provinces must be between 1 and 99.")
        if communes is not None and not provinces <= communes <= 9999 * provinces:
            raise CommandError("--communes must be at least one per province.")
        if not 1 <= years <= 10:
            raise CommandError("--years must be between 1 and 10.")
        translation.activate("vi")
        started = time.monotonic()
        done = generate(
            provinces=provinces, communes=communes, years=years, seed=seed, say=self.stdout.write
        )
        seconds = time.monotonic() - started
        self.stdout.write(
            f"{done.communes_added} communes added, {done.communes_skipped} already there, "
            f"{done.rows} rows in {seconds:.1f} s; database size {database_size()}."
        )
