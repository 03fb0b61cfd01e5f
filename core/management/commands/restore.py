"""Restore a backup made by `manage.py backup` into an empty system."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore the database and the kept files from a backup folder, checksums verified."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder written by manage.py backup")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="overwrite a system that already has people or files",
        )

    def handle(self, *args, folder: str, replace: bool, **options):
        try:
            outcome = restore(Path(folder), replace=replace)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored from {folder}: database ({outcome.method}), {outcome.files} files, "
            f"{outcome.bytes / 1048576:.1f} MB, every checksum verified."
        )
