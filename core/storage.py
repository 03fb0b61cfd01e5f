"""File storages that note each file they write until the transaction that wrote it commits.

A save killed mid-way (the process stopped before its transaction ended) leaves its file named by
no row. The worker finds such files by reading the notes under `pending/`, a short list, instead
of listing every file kept (on object storage, one request per thousand names and one per file's
date: hours for a country's evidence at every worker start)."""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage as DjangoFileSystemStorage
from django.db import transaction

JOURNAL = "pending"
QUARANTINE = "orphans"


class JournaledStorage:
    """Mixed in before a Django storage: `pending/<random>` holds the name of a file being
    written, and is deleted once the transaction around the write commits (at once outside
    one). A rolled-back or killed save leaves its note for `core.worker.sweep_orphan_files`."""

    def _save(self, name: str, content) -> str:
        write = super()._save  # type: ignore[misc]
        if name.startswith((f"{JOURNAL}/", f"{QUARANTINE}/")):
            return write(name, content)
        note = write(f"{JOURNAL}/{uuid.uuid4().hex}", ContentFile(name.encode()))
        saved = write(name, content)
        if saved != name:  # the storage chose another name: the note must say it
            self.delete(note)  # type: ignore[attr-defined]
            note = write(f"{JOURNAL}/{uuid.uuid4().hex}", ContentFile(saved.encode()))
        # robust: a note that cannot be deleted must not fail a save already committed
        transaction.on_commit(lambda: self.delete(note), robust=True)  # type: ignore[attr-defined]
        return saved


class FileSystemStorage(JournaledStorage, DjangoFileSystemStorage):
    """Files on local disk (MEDIA_ROOT), journaled."""
