"""Background work of plan imports: reading uploaded documents into drafts."""

from __future__ import annotations

import time

from django.dispatch import receiver
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks.signals import task_finished

from core import crash
from core.files import UploadRejected
from ingest.drafts import draft_to_data
from plans.imports.models import DocumentImport, ImportStatus


def read_import(document: DocumentImport) -> DocumentImport:
    """Read one uploaded document into a draft; a refusal is recorded, never raised."""
    from ingest.documents import read_plan  # the readers load their libraries on first use

    document.status = ImportStatus.READING
    document.save(update_fields=["status", "updated_at"])
    crash.point("import.reading")
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


@receiver(task_finished)
def _reading_failed(sender, task_result, **kwargs) -> None:
    """A reading that failed outright (an unexpected error, or a worker that stopped each time
    it tried) is shown on the document, never left "being read" for good."""
    if task_result.task.module_path != read_import_task.module_path:
        return
    if task_result.status != "FAILED" or not task_result.args:
        return
    DocumentImport.objects.filter(pk=task_result.args[0]).exclude(
        status__in=(ImportStatus.READY, ImportStatus.SAVED)
    ).update(
        status=ImportStatus.FAILED,
        error=_(
            "The document could not be read: the reading stopped before it finished. "
            "Upload it again; if it fails again, send it to the administrator."
        ),
    )
