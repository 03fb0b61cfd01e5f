"""A plan document on disk read into a draft and told about in a few lines, for the import_plan
command and whoever reads files by path. Pure reading: nothing is saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.files import UploadRejected
from ingest.documents import read_plan
from ingest.plan_json import looks_like_a_plan
from ingest.plan_text import PlanDraft

SHOWN_WARNINGS = 10


class FileFailed(Exception):
    """One file could not be imported; the message says why, for the person running it."""


def read_plan_file(path: Path) -> PlanDraft:
    """The draft of the plan in `path`; a file that is refused, unreadable or not a plan is a
    FileFailed saying why."""
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


def summary(data: dict[str, Any]) -> str:
    """A few lines about a plan's JSON (ingest.plan_json.draft_to_json), and what was saved of
    it when `data["saved"]` says so."""
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
    return "\n".join(lines)
