"""Documents uploaded to become plans, waiting to be read, reviewed and saved.

The tables keep the names they were created with (`ingest_importbatch`,
`ingest_documentimport`), so that the uploads made before the models lived here stay attached.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import UnitScoped


def import_path(instance: DocumentImport, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return f"imports/{instance.batch.unit_id}/{uuid.uuid4().hex}{suffix}"


class ImportBatch(UnitScoped, models.Model):
    """One upload of one or many files by one person for one unit."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="import_batches")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "ingest_importbatch"
        verbose_name = _("document import")
        verbose_name_plural = _("document imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.unit} {self.created_at:%d/%m/%Y %H:%M}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be read")
    READING = "reading", _("Being read")
    READY = "ready", _("Ready for review")
    FAILED = "failed", _("Could not be read")
    SAVED = "saved", _("Saved as a plan")


FINISHED = (ImportStatus.READY, ImportStatus.FAILED, ImportStatus.SAVED)


class DocumentImport(UnitScoped, models.Model):
    unit_path = "batch.unit_id"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=import_path)
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    error = models.TextField(blank=True)
    source_text = models.TextField(blank=True)
    draft = models.JSONField(null=True, blank=True)
    plan = models.ForeignKey(
        "plans.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    read_seconds = models.FloatField(null=True, blank=True)
    # A scanned PDF is read page by page (OCR): how far the reading is, for the batch page.
    pages_read = models.PositiveIntegerField(null=True, blank=True)
    pages_total = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "ingest_documentimport"
        verbose_name = _("imported document")
        verbose_name_plural = _("imported documents")
        ordering = ["batch", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED
