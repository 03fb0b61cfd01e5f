"""Rules of plan imports: a batch of uploaded documents is checked, kept and queued for reading.
Callable without HTTP."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from core import crash
from core.files import DOCUMENT_KINDS, UploadRejected, check_upload
from org.models import Unit, User
from plans.imports.models import DocumentImport, ImportBatch
from plans.imports.tasks import read_import_task

MAX_FILES = 100


@dataclass
class BatchOutcome:
    """The batch made of the accepted files (None when none was), and why the others were not."""

    batch: ImportBatch | None
    refused: list[str] = field(default_factory=list)


@transaction.atomic
def create_batch(unit: Unit, files: Sequence[UploadedFile], by: User) -> BatchOutcome:
    """Keep every acceptable file as a document of one new batch and queue it to be read once
    the batch is saved; a refused file is named with its reason and the others go on."""
    if not files:
        raise ValidationError(_("Choose one or more files."))
    if len(files) > MAX_FILES:
        raise ValidationError(_("At most %(n)d files at once.") % {"n": MAX_FILES})
    batch = ImportBatch.objects.create(unit=unit, created_by=by)
    outcome = BatchOutcome(batch)
    for upload in files:
        try:
            check_upload(upload.name, upload, DOCUMENT_KINDS)
        except UploadRejected as exc:
            outcome.refused.append(f"{upload.name}: {exc}")
            continue
        upload.seek(0)
        document = DocumentImport(batch=batch, original_name=upload.name[:255])
        document.file.save(upload.name, upload, save=True)
        # Queued in the same transaction (the queue is a table of the same database): a crash
        # can leave neither a document that nobody will read nor a task without its document.
        read_import_task.enqueue(document.pk)
    if not batch.documents.exists():
        batch.delete()
        outcome.batch = None
    crash.point("import.stored")
    return outcome


def recent_batches(unit: Unit, count: int = 10):
    return ImportBatch.objects.filter(unit=unit).prefetch_related("documents")[:count]
