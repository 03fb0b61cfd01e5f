"""Back up the database and every kept file into a folder, with a manifest of checksums."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the kept files (local disk or object storage) into DIR."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a new or empty folder")

    def handle(self, *args, folder: str, **options):
        try:
            outcome = backup(Path(folder))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up to {folder}: database ({outcome.method}), {outcome.files} files, "
            f"{outcome.bytes / 1048576:.1f} MB."
        )
