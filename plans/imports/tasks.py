"""Background work of plan imports: reading uploaded documents into drafts."""

from __future__ import annotations

import time

from django_tasks import task

from core.files import UploadRejected
from ingest.drafts import draft_to_data
from plans.imports.models import DocumentImport, ImportStatus


def read_import(document: DocumentImport) -> DocumentImport:
    """Read one uploaded document into a draft; a refusal is recorded, never raised."""
    from ingest.documents import read_plan  # the readers load their libraries on first use

    document.status = ImportStatus.READING
    document.save(update_fields=["status", "updated_at"])
    started = time.perf_counter()

    def progress(pages_read: int, pages_total: int) -> None:
        document.pages_read, document.pages_total = pages_read, pages_total
        document.save(update_fields=["pages_read", "pages_total", "updated_at"])

    try:
        with document.file.open("rb") as stream:
            read, draft = read_plan(document.original_name, stream, progress)
    except UploadRejected as exc:
        document.status, document.error = ImportStatus.FAILED, str(exc)
    else:
        document.status = ImportStatus.READY
        document.source_text = read.text
        document.draft = draft_to_data(draft)
    document.read_seconds = time.perf_counter() - started
    document.save()
    return document


@task()
def read_import_task(document_id: int) -> str:
    document = DocumentImport.objects.select_related("batch").get(pk=document_id)
    return read_import(document).status
