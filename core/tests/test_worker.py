"""A worker starting: work left running by a dead worker, files of rolled-back saves."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import worker
from core.storage import JOURNAL, QUARANTINE
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


def _rolled_back_save(name: str) -> str:
    """A file written by a save whose transaction then rolled back."""
    with pytest.raises(RuntimeError), transaction.atomic():
        saved = default_storage.save(name, ContentFile(b"PK..."))
        raise RuntimeError("killed")
    return saved


def _notes() -> list[str]:
    try:
        return default_storage.listdir(JOURNAL)[1]
    except FileNotFoundError:
        return []


def _age_notes(hours: float = 2) -> None:
    old = time.time() - hours * 3600
    for note in _notes():
        os.utime(default_storage.path(f"{JOURNAL}/{note}"), (old, old))


def test_a_note_lasts_until_the_transaction_that_wrote_the_file_commits(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        saved = default_storage.save("reports/9/da-luu.docx", ContentFile(b"PK..."))
        (note,) = _notes()
        assert default_storage.open(f"{JOURNAL}/{note}").read().decode() == saved
    assert _notes() == []  # committed: nothing to look at later
    assert default_storage.exists(saved)


def test_files_of_rolled_back_saves_are_set_aside(reading, settings):
    kept = reading.file.name  # its note is still there: the test's transaction never commits
    lost = _rolled_back_save("reports/9/bao-cao.docx")
    by_hand = default_storage.path("reports/9/dat-tay.docx")  # no note: never looked at
    with open(by_hand, "wb") as stream:
        stream.write(b"PK...")
    _age_notes()
    fresh = _rolled_back_save("reports/9/dang-luu.docx")
    assert len(_notes()) == 3
    assert worker.sweep_orphan_files() == 1
    assert default_storage.exists(kept)  # named by its row
    assert default_storage.exists(fresh)  # may belong to a save still running
    assert default_storage.exists("reports/9/dat-tay.docx")
    assert not default_storage.exists(lost)
    assert default_storage.exists(f"{QUARANTINE}/{lost}")  # set aside, not deleted
    assert len(_notes()) == 1  # the young one, for a later sweep
    later = timezone.now() + timedelta(hours=2)
    assert worker.sweep_orphan_files(now=later) == 1  # the young one's save never finished
    assert _notes() == [] and worker.sweep_orphan_files(now=later) == 0
