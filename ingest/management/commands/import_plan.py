"""Read plan documents and import them as plans of a unit, or only show what they say.

    python manage.py import_plan FILE... [--dry-run] [--json] [--unit CODE]
                                         [--status draft|approved|in_progress]

Every file is read with ingest.documents.read_plan (so every format it reads is accepted). A file
that is refused, unreadable or not a plan gets a message on stderr and the others go on; the
exit code is 1 when any file failed. Without --dry-run, --unit is required and each plan is saved
through plans.drafts.save_draft in one transaction: a refusal (a lead that is not a department
of the unit, a period that cannot be read) saves nothing of that file. With --dry-run --unit the
same save is tried and rolled back, so the checks against the unit are reported too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from core.files import UploadRejected
from ingest.documents import read_plan
from ingest.plan_json import draft_to_json, looks_like_a_plan
from ingest.plan_text import PlanDraft
from org.models import Unit
from plans.drafts import save_draft
from plans.models import PlanStatus

STATUSES = [PlanStatus.DRAFT.value, PlanStatus.APPROVED.value, PlanStatus.IN_PROGRESS.value]
SHOWN_WARNINGS = 10


class _DryRun(Exception):
    """Raised inside the transaction of a dry run so that nothing it saved is kept."""


class FileFailed(Exception):
    """One file could not be imported; the message says why, for the person running it."""


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
                self._summary(data)
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
        draft = self._read(path)
        data = draft_to_json(str(path), draft)
        if unit is None:
            return data
        try:
            with transaction.atomic():
                outcome = save_draft(unit, draft, status=status)
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

    def _read(self, path: Path) -> PlanDraft:
        try:
            with path.open("rb") as stream:
                _document, draft = read_plan(path.name, stream)
        except UploadRejected as error:
            raise FileFailed(f"refused: {error}") from error
        except OSError as error:
            raise FileFailed(f"cannot be opened ({error.strerror or error})") from error
        except Exception as error:  # a reader's bug must cost this file only, not the batch
            raise FileFailed(f"could not be read ({type(error).__name__}: {error})") from error
        if not looks_like_a_plan(draft):
            raise FileFailed("no plan was recognised in this document (no title, areas or tasks).")
        return draft

    def _summary(self, data: dict[str, Any]) -> None:
        document, period = data["document"], data["period"]
        kind = document["kind"] or "document"
        number = document["number"] or "(no number)"
        issued = document["date"] or "/".join(
            str(part) for part in (document["issued_month"], document["issued_year"]) if part
        )
        lines = [
            f"{data['file']}: {kind} {number}, {issued or 'no date'} — {document['title']}",
            f"  issuer: {document['issuer'] or '?'}; place: {document['place'] or '?'}; "
            f"signer: {document['signer'] or '?'}; plan kind: {data['plan_kind']}",
            f"  period: {period['start'] or '?'} to {period['end'] or '?'}",
            f"  {len(data['areas'])} areas, {len(data['tasks'])} tasks, "
            f"{len(data['targets'])} targets, {len(data['assignments'])} duties by department, "
            f"{len(data['dates'])} dates",
        ]
        warnings = data["warnings"]
        if warnings:
            lines.append(f"  {len(warnings)} warnings:")
            lines += [f"  - {warning}" for warning in warnings[:SHOWN_WARNINGS]]
            if len(warnings) > SHOWN_WARNINGS:
                lines.append(f"  … and {len(warnings) - SHOWN_WARNINGS} more (--json lists all)")
        saved = data.get("saved")
        if saved is None:
            lines.append("  nothing saved (dry run)")
        elif saved["dry_run"]:
            lines.append(f"  would be saved to unit {saved['unit']}; nothing saved (dry run)")
        else:
            lines.append(
                f"  saved as plan #{saved['plan_id']} of unit {saved['unit']} "
                f"({saved['tasks']} tasks, status {saved['status']})"
            )
        self.stdout.write("\n".join(lines))
