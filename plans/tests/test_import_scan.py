"""A scanned plan is read by the background worker page by page, its progress shown."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from ingest.documents import _tesseract_has_vietnamese
from org.models import Role
from plans.imports.models import DocumentImport, ImportStatus

SCAN = (
    Path(__file__).resolve().parents[2]
    / "fixtures"
    / "hard"
    / "003_thanh_sen_ke_hoach_kiem_tra_cchc_2026_scan.pdf"
)


@pytest.mark.skipif(
    not os.environ.get("CI") and not _tesseract_has_vietnamese(),
    reason="tesseract with Vietnamese is not installed",
)
@pytest.mark.django_db(transaction=True)
def test_scan_is_read_in_the_background_page_by_page(client, world):
    client.force_login(world.people[Role.FOCAL])
    upload = SimpleUploadedFile(SCAN.name, SCAN.read_bytes(), "application/pdf")
    response = client.post(reverse("import_upload"), {"files": [upload]})
    assert response.status_code == 302  # the upload returns at once; nothing is read yet
    document = DocumentImport.objects.get()
    assert document.status == ImportStatus.QUEUED and document.pages_read is None

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    document.refresh_from_db()
    assert document.status == ImportStatus.READY, document.error
    assert (document.pages_read, document.pages_total) == (2, 2)
    assert [task["area_code"] for task in document.draft["tasks"]][:1] == ["I"]


@pytest.mark.django_db
def test_batch_page_shows_the_pages_read_of_a_scan(client, world):
    client.force_login(world.people[Role.FOCAL])
    upload = SimpleUploadedFile("scan.pdf", SCAN.read_bytes(), "application/pdf")
    client.post(reverse("import_upload"), {"files": [upload]})
    document = DocumentImport.objects.get()
    DocumentImport.objects.filter(pk=document.pk).update(
        status=ImportStatus.READING, pages_read=1, pages_total=2
    )
    page = client.get(reverse("import_batch", args=[document.batch_id])).content.decode()
    assert (
        "1/2 trang" in page
        or "1 of 2" in page
        or "1 / 2" in page
        or "trang 1/2" in page
        or "1 trên 2" in page
    )
