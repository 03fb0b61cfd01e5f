"""A worker starting: work left running by a dead worker, files of rolled-back saves."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import worker
from org.models import Role
from plans.imports import services
from plans.imports.models import DocumentImport, ImportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def reading(world) -> DocumentImport:
    """A document whose reading was claimed by a worker that is gone."""
    upload = SimpleUploadedFile("ke-hoach.txt", "KẾ HOẠCH Cải cách hành chính năm 2026".encode())
    services.create_batch(world.thanhdong, [upload], world.people[Role.FOCAL])
    DBTaskResult.objects.update(status="RUNNING", worker_ids=["gone-1"])
    DocumentImport.objects.update(status=ImportStatus.READING)
    return DocumentImport.objects.get()


def test_work_of_a_dead_worker_is_run_again(reading):
    swept = worker.sweep_tasks()
    assert (swept.requeued, swept.failed) == (1, 0)
    task = DBTaskResult.objects.get()
    assert task.status == "READY" and task.started_at is None


def test_work_whose_worker_died_each_time_is_failed_with_a_message(reading):
    DBTaskResult.objects.update(worker_ids=["gone-1", "gone-2", "gone-3"])
    swept = worker.sweep_tasks()
    assert (swept.requeued, swept.failed) == (0, 1)
    task = DBTaskResult.objects.get()
    assert task.status == "FAILED" and task.exception_class_path.endswith("WorkerStopped")
    reading.refresh_from_db()
    assert reading.status == ImportStatus.FAILED
    assert reading.error  # what the person sees on the import page


def test_work_of_this_worker_is_left_alone(reading):
    worker.hold_lease("gone-1")  # the worker that claimed it is this one: alive
    try:
        assert worker.sweep_tasks().requeued == 0
    finally:
        lease = worker._leases.pop("gone-1")
        if lease is not None:
            lease.close()
    assert DBTaskResult.objects.get().status == "RUNNING"


def test_files_of_rolled_back_saves_are_set_aside(reading, settings):
    kept = reading.file.name
    lost = default_storage.save("reports/9/bao-cao.docx", ContentFile(b"PK..."))
    fresh = default_storage.save("reports/9/dang-luu.docx", ContentFile(b"PK..."))
    old = time.time() - 2 * 3600
    for name in (kept, lost):
        os.utime(default_storage.path(name), (old, old))
    assert worker.sweep_orphan_files() == 1
    assert default_storage.exists(kept)  # named by its row
    assert default_storage.exists(fresh)  # may belong to a save still running
    assert not default_storage.exists(lost)
    assert default_storage.exists(f"orphans/{lost}")  # set aside, not deleted
    # Long-settled files are not looked at again.
    later = timezone.now() + worker.ORPHAN_WINDOW + timedelta(days=1)
    assert worker.sweep_orphan_files(now=later) == 0
