"""Read plan documents and import them as plans of a unit, or only show what they say.

    python manage.py import_plan FILE... [--dry-run] [--json] [--unit CODE]
                                         [--status draft|approved|in_progress]

Every file is read with ingest.plan_files.read_plan_file (so every format ingest.documents
reads is accepted). A file that is refused, unreadable or not a plan gets a message on stderr
and the others go on; the exit code is 1 when any file failed. Without --dry-run, --unit is
required and each plan is saved as the review page saves it when confirmed with no change
(plans.imports.review.save_reviewed), in one transaction: a refusal (a period that cannot be
read, a task no department can lead) saves nothing of that file. With --dry-run --unit the
same save is tried and rolled back, so the checks against the unit are reported too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from ingest.drafts import draft_to_data
from ingest.plan_files import FileFailed, read_plan_file, summary
from ingest.plan_json import draft_to_json
from org.models import Unit
from plans.imports.review import save_reviewed
from plans.models import PlanStatus

STATUSES = [PlanStatus.DRAFT.value, PlanStatus.APPROVED.value, PlanStatus.IN_PROGRESS.value]


class _DryRun(Exception):
    """Raised inside the transaction of a dry run so that nothing it saved is kept."""


class Command(BaseCommand):
    help = (
        "Read CCHC plan documents (.txt, .docx, .pdf, .xlsx) and save them as plans of a unit; "
        "with --dry-run only show what was read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="plan documents to read")
        parser.add_argument(
            "--dry-run", action="store_true", help="read and check only; save nothing"
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="print one JSON object per file, one per line, instead of a summary",
        )
        parser.add_argument(
            "--unit", metavar="CODE", help="code of the unit the plans belong to (to save)"
        )
        parser.add_argument(
            "--status",
            choices=STATUSES,
            default=PlanStatus.DRAFT.value,
            help="status of the saved plans (default: draft)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files: list[str] = options["files"]
        dry_run: bool = options["dry_run"]
        code: str | None = options["unit"]
        if not dry_run and not code:
            raise CommandError("--unit CODE is required to save plans (or use --dry-run).")
        unit = self._unit(code) if code else None

        failed = 0
        for name in files:
            try:
                data = self._import_one(Path(name), unit, dry_run, options["status"])
            except FileFailed as error:
                failed += 1
                self.stderr.write(f"{name}: {error}")
                continue
            if options["json"]:
                self.stdout.write(json.dumps(data, ensure_ascii=False))
            else:
                self.stdout.write(summary(data))
        if failed:
            raise CommandError(f"{failed} of {len(files)} files could not be imported.")

    def _unit(self, code: str) -> Unit:
        try:
            return Unit.objects.get(code=code)
        except Unit.DoesNotExist as error:
            raise CommandError(f"No unit has the code “{code}”.") from error

    def _import_one(
        self, path: Path, unit: Unit | None, dry_run: bool, status: str
    ) -> dict[str, Any]:
        draft = read_plan_file(path)
        data = draft_to_json(str(path), draft)
        if unit is None:
            return data
        try:
            with transaction.atomic():
                outcome = save_reviewed(unit, draft_to_data(draft), None, status=status)
                saved = {
                    "unit": unit.code,
                    "plan_id": None if dry_run else outcome.plan.pk,
                    "tasks": len(outcome.tasks),
                    "status": status,
                    "dry_run": dry_run,
                }
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        except ValidationError as error:
            raise FileFailed("not saved: " + " ".join(error.messages)) from error
        data["saved"] = saved
        return data
