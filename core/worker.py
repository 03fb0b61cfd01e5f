"""What a worker does when it starts: take a lease that dies with it, then put right what a
worker killed mid-task left behind (work marked running by nobody, files of a rolled-back save).

A lease is a PostgreSQL advisory lock held on a connection of its own for the worker's life: a
killed process loses its connection, the lock goes with it, and the next sweep knows the worker is
gone. On SQLite (the embedded system runs one worker) a starting worker is the only one, so work
marked running belongs to a dead one."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import connection, connections, models, transaction
from django.utils import timezone
from django_tasks.signals import task_finished
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.storage import JOURNAL, QUARANTINE

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a task whose worker died this many times is failed, not run again
ORPHAN_AGE = timedelta(hours=1)  # a file younger than this may belong to a save still running
_leases: dict[str, object] = {}


class WorkerStopped(Exception):
    """The worker running the task was killed (or its machine stopped) before it finished."""


def _key(worker_id: str) -> int:
    digest = hashlib.sha256(f"cchc-worker:{worker_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def hold_lease(worker_id: str) -> None:
    """Hold the worker's lease until the process ends (on a connection of its own, which the
    worker's periodic closing of old connections never touches)."""
    if worker_id in _leases:
        return
    if not _postgres():
        _leases[worker_id] = None  # the only worker: known alive in this process alone
        return
    own = connections.create_connection("default")
    with own.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_key(worker_id)])
    _leases[worker_id] = own


def is_alive(worker_id: str) -> bool:
    """Does a worker of that id still hold its lease?"""
    if worker_id in _leases:
        return True
    if not _postgres():
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_key(worker_id)])
        (free,) = cursor.fetchone()
        if free:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_key(worker_id)])
    return not free


@dataclass
class Swept:
    requeued: int = 0
    failed: int = 0
    orphans: int = 0


def sweep_tasks() -> Swept:
    """Work marked running by a worker that is gone: run again, or, after MAX_ATTEMPTS, failed
    with `WorkerStopped` (the domain that queued it shows its people why, on `task_finished`)."""
    swept = Swept()
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING
        )
        dead = [r for r in running if not (r.worker_ids and is_alive(r.worker_ids[-1]))]
        for result in dead:
            if len(result.worker_ids) >= MAX_ATTEMPTS:
                result.set_failed(WorkerStopped("the worker stopped while running this task"))
                swept.failed += 1
            else:
                result.status, result.started_at = TaskResultStatus.READY, None
                result.save(update_fields=["status", "started_at"])
                swept.requeued += 1
    for result in dead:
        if result.status == TaskResultStatus.FAILED:
            try:
                sender = type(result.task.get_backend())
            except ImportError:
                continue
            task_finished.send(sender=sender, task_result=result.task_result)
    if dead:
        log.warning(
            "Work left by stopped workers: %s run again, %s failed", swept.requeued, swept.failed
        )
    return swept


def _file_fields() -> list[tuple[type[models.Model], str]]:
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


def sweep_orphan_files(*, now=None) -> int:
    """Set aside the files a save wrote and then lost to a rollback (the process was killed
    before its transaction ended): those the notes under `pending/` (`core.storage`) name, once
    the note is older than ORPHAN_AGE, that no row names. They are moved under `orphans/`, not
    deleted, in case one is wanted. Only the notes are listed, never every file kept."""
    now = now or timezone.now()
    try:
        _folders, notes = default_storage.listdir(JOURNAL)
    except FileNotFoundError:
        return 0
    settled: dict[str, str] = {}  # note -> the file it names
    for note in notes:
        path = f"{JOURNAL}/{note}"
        try:
            if default_storage.get_modified_time(path) > now - ORPHAN_AGE:
                continue  # its save may still be running
            with default_storage.open(path, "rb") as stream:
                settled[path] = stream.read().decode()
        except (FileNotFoundError, NotImplementedError, UnicodeDecodeError):
            continue
    if not settled:
        return 0
    names = list(settled.values())
    # One query per file field for all noted files, not one per file and field.
    named = {
        value
        for model, field in _file_fields()
        for value in model._default_manager.filter(**{f"{field}__in": names}).values_list(
            field, flat=True
        )
    }
    removed = 0
    for path, name in settled.items():
        if name not in named and default_storage.exists(name):
            with default_storage.open(name, "rb") as stream:
                default_storage.save(f"{QUARANTINE}/{name}", stream)
            default_storage.delete(name)
            removed += 1
            log.warning("Set aside %s: written by a save that never finished", name)
        default_storage.delete(path)
    return removed


def start(worker_id: str) -> Swept:
    """A worker starting: its lease first (so that another sweep never takes its work), then
    the sweep of what dead workers left."""
    hold_lease(worker_id)
    swept = sweep_tasks()
    swept.orphans = sweep_orphan_files()
    return swept
