"""Processes killed mid-way (SIGKILL, nothing to clean up): the web server in the middle of a
plan upload, a self-assessment submission and a report approval, the worker in the middle of a
plan reading and of the reminder run. After a restart nothing is half-written, interrupted work
runs again or is failed with a message, no reminder goes out twice and no file is left orphaned.

Real processes on PostgreSQL (`runserver`, `manage.py worker`); a named pause point
(`core.crash`, `CCHC_CRASH_AT`) holds the process where it is to be killed."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from org.models import Role
from plans.tests.conftest import frozen_today, in_force, plan  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="several processes on one database: PostgreSQL only",
    ),
]


def _database_url() -> str:
    db = django_settings.DATABASES["default"]
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


class Harness:
    """Starts the system's processes against the test database and the test's media folder."""

    def __init__(self, tmp_path: Path):
        self.var = tmp_path
        self.marker = tmp_path / "crashed"
        self.procs: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "CCHC_ENV": "test",
            "DATABASE_URL": _database_url(),
            "CCHC_VAR_DIR": str(tmp_path),
            "CCHC_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "PYTHONPATH": str(ROOT),
        }

    def start(self, *args: str, crash_at: str = "") -> subprocess.Popen:
        env = dict(self.env)
        if crash_at:
            env |= {"CCHC_CRASH_AT": crash_at, "CCHC_CRASH_MARKER": str(self.marker)}
        log = self.var / f"process-{len(self.procs)}.log"
        with log.open("wb") as out:  # a file, not a pipe: a chatty server never blocks on it
            proc = subprocess.Popen(
                [sys.executable, "manage.py", *args, "--skip-checks"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        proc.log = log
        self.procs.append(proc)
        return proc

    def server(self, crash_at: str) -> tuple[subprocess.Popen, str]:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        proc = self.start("runserver", "--noreload", f"127.0.0.1:{port}", crash_at=crash_at)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.get(f"{base}/favicon.ico", timeout=10, allow_redirects=False)
                return proc, base
            except requests.RequestException:
                time.sleep(0.2)
        raise AssertionError(proc.log.read_text())

    def kill_when_paused(self, proc: subprocess.Popen, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while not self.marker.exists():
            if proc.poll() is not None:
                raise AssertionError(proc.log.read_text())
            if time.monotonic() > deadline:
                raise AssertionError("the process never reached the crash point")
            time.sleep(0.1)
        where = self.marker.read_text()
        self.marker.unlink()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        return where

    def run_worker(self) -> str:
        """A fresh worker, until the queue is empty (its start-up sweep comes first)."""
        proc = self.start("worker", "--batch", "--interval", "0", "--no-startup-delay")
        proc.wait(60)
        assert proc.returncode == 0, proc.log.read_text()
        return proc.log.read_text()

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)


@pytest.fixture
def harness(tmp_path):
    h = Harness(tmp_path)
    yield h
    h.stop()
    connection.close()


def _signed_in(client: Client, user, page: str) -> requests.Session:
    """A browser session of `user` for the real server: the test client signs in and opens a
    page (setting the CSRF cookie), its cookies go to a requests session."""
    client.force_login(user)
    client.get(page)
    session = requests.Session()
    for name, morsel in client.cookies.items():
        session.cookies.set(name, morsel.value)
    session.headers["X-CSRFToken"] = client.cookies["csrftoken"].value
    return session


def _post_unanswered(session: requests.Session, url: str, **kwargs) -> threading.Thread:
    """A request the server will never answer (it is killed while it waits), sent aside."""

    def send() -> None:
        with contextlib.suppress(requests.RequestException):
            session.post(url, timeout=30, **kwargs)

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread


def _age(folder: Path, hours: float = 2) -> list[Path]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    old = time.time() - hours * 3600
    for p in files:
        os.utime(p, (old, old))
    return files


# --- plan imports: the server killed while keeping an upload, the worker while reading ---------


def test_plan_import_killed_in_the_server_and_in_the_worker(world, harness):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plans.imports import services
    from plans.imports.models import DocumentImport, ImportBatch, ImportStatus

    # 1. The server dies after writing the upload's file, before its transaction ends.
    session = _signed_in(Client(), world.people[Role.FOCAL], reverse("import_upload"))
    proc, base = harness.server("import.stored")
    seed = ROOT / "fixtures/seeds/001_thanh_dong_ke_hoach_cchc_2026.txt"
    upload = seed.read_bytes()
    sent = _post_unanswered(
        session, f"{base}{reverse('import_upload')}", files={"files": (seed.name, upload)}
    )
    assert harness.kill_when_paused(proc).startswith("import.stored")
    sent.join(10)
    assert not ImportBatch.objects.exists() and not DocumentImport.objects.exists()
    assert not DBTaskResult.objects.exists()  # no task for a document that was never kept
    media = harness.var / "media"
    (left,) = _age(media / "imports")  # written before the rollback
    _age(media / "pending")  # and noted as being written (core.storage)

    # 2. Uploaded again; the worker dies while reading it.
    services.create_batch(
        world.thanhdong, [SimpleUploadedFile(seed.name, upload)], world.people[Role.FOCAL]
    )
    document = DocumentImport.objects.get()
    worker = harness.start("worker", "--no-startup-delay", crash_at="import.reading")
    harness.kill_when_paused(worker)
    document.refresh_from_db()
    assert document.status == ImportStatus.READING
    assert DBTaskResult.objects.get().status == "RUNNING"  # by a worker that is gone

    # 3. A worker starts: the reading runs again and the orphaned file is set aside.
    harness.run_worker()
    document.refresh_from_db()
    assert document.status == ImportStatus.READY and document.draft
    task = DBTaskResult.objects.get()
    assert task.status == "SUCCESSFUL" and len(task.worker_ids) == 2
    assert not left.exists()
    assert (media / "orphans" / left.relative_to(media)).exists()  # set aside, not lost
    assert (media / document.file.name).exists()


# --- the web server killed in the middle of a change -----------------------------------------


def test_submission_killed_mid_transaction_is_not_half_written(world, harness):
    from notify.models import Notification, ToDo
    from scoring import services
    from scoring.models import Assessment, AssessmentStatus
    from scoring.tests.conftest import tree

    framework = services.create_framework(
        world.haiphong,
        year=2026,
        name="Bộ tiêu chí",
        decision_number="1/QĐ",
        decision_date=date(2025, 12, 1),
    )
    services.add_set(framework, "commune_level", "Xã, phường", tree())
    period = services.create_period(
        framework,
        kind="year",
        name="Năm 2026",
        department_due=date(2026, 12, 20),
        submission_due=date(2026, 12, 28),
        answer_days=5,
    )
    assessment = services.open_assessment(period, world.thanhdong)
    Assessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.APPROVED)
    notices, todos = Notification.objects.count(), ToDo.objects.count()

    page = reverse("scoring_assessment", args=[assessment.pk])
    session = _signed_in(Client(), world.people[Role.FOCAL], page)
    proc, base = harness.server("assessment.submitted")
    action = reverse("scoring_action", args=[assessment.pk])
    sent = _post_unanswered(session, f"{base}{action}", data={"action": "submit"})
    assert harness.kill_when_paused(proc).startswith("assessment.submitted")
    sent.join(10)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPROVED and assessment.submitted_at is None
    assert (Notification.objects.count(), ToDo.objects.count()) == (notices, todos)
    # Sent again once the server is back, it goes through once.
    again = Client()
    again.force_login(world.people[Role.FOCAL])
    assert again.post(action, {"action": "submit"}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_report_approval_killed_after_its_files_were_written(world, harness, plan):  # noqa: F811
    from reports import services
    from reports.models import Report, ReportFile, ReportStatus

    period = services.ensure_periods(plan)[0]
    for part in services.open_contributions(period):
        services.submit_contribution(part, world.people[Role.FOCAL], confirm_empty_areas=True)
        services.review_contribution(part, world.people[Role.FOCAL], accept=True)
    report = services.assemble_report(period)

    page = reverse("report_edit", args=[period.pk])
    session = _signed_in(Client(), world.people[Role.LEADER], page)
    proc, base = harness.server("report.frozen")
    sent = _post_unanswered(session, f"{base}{page}", data={"action": "approve"})
    assert harness.kill_when_paused(proc).startswith("report.frozen")
    sent.join(10)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and not ReportFile.objects.exists()
    media = harness.var / "media"
    written = [p for p in _age(media) if "pending" not in p.relative_to(media).parts]
    assert written  # the .docx and .xlsx reached the disk before the rollback
    harness.run_worker()
    assert not any(p.exists() for p in written)
    assert len([p for p in (media / "orphans").rglob("*") if p.is_file()]) == len(written)
    # Approved again, it keeps its own files.
    services.approve_report(Report.objects.get(pk=report.pk), world.people[Role.LEADER])
    for kept in ReportFile.objects.all():
        assert (media / kept.file.name).exists()


# --- the worker killed in the middle of the reminder run --------------------------------------


def _mails(harness) -> list[str]:
    folder = harness.var / "mail"
    return [p.read_text() for p in folder.glob("*")] if folder.exists() else []


def test_reminder_run_killed_sends_each_digest_at_most_once(world, harness, in_force):  # noqa: F811
    from notify.models import DailyRun, Digest
    from notify.services import INTERRUPTED
    from notify.tasks import daily_reminders
    from org.models import User

    User.objects.filter(pk=world.people[Role.DEPARTMENT_HEAD].pk).update(email="head@example.vn")
    User.objects.filter(pk=world.people[Role.OFFICER].pk).update(email="officer@example.vn")
    people = ("head@example.vn", "officer@example.vn")  # both have overdue work
    today = date.today()

    # Killed after the first digest was built, before it was sent: the rerun sends it, once.
    daily_reminders.enqueue(today.isoformat())
    harness.kill_when_paused(
        harness.start("worker", "--no-startup-delay", crash_at="reminders.built")
    )
    assert _mails(harness) == []
    harness.run_worker()
    digests = list(Digest.objects.filter(day=today))
    assert len(digests) >= 2 and all(d.sent_at for d in digests)
    assert [sum(f"To: {who}" in m for m in _mails(harness)) for who in people] == [1, 1]
    assert DailyRun.objects.get(day=today).finished_at is not None

    # The next day's run killed right after an e-mail went out, before it was recorded: that
    # digest is never sent again; the other one is sent once.
    for old in (harness.var / "mail").glob("*"):
        old.unlink()
    DBTaskResult.objects.all().delete()
    tomorrow = date.fromordinal(today.toordinal() + 1)
    daily_reminders.enqueue(tomorrow.isoformat())
    harness.kill_when_paused(
        harness.start("worker", "--no-startup-delay", crash_at="reminders.sent")
    )
    assert len(_mails(harness)) <= 1  # the first digest (no e-mail if its person has none)
    harness.run_worker()
    digests = list(Digest.objects.filter(day=tomorrow))
    assert [sum(f"To: {who}" in m for m in _mails(harness)) for who in people] == [1, 1]
    (interrupted,) = [d for d in digests if d.sent_at is None]
    assert interrupted.last_error == INTERRUPTED
    assert DailyRun.objects.get(day=tomorrow).finished_at is not None
    assert mail.outbox == []
