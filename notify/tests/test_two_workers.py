"""Two real task workers (`manage.py db_worker`) on one PostgreSQL queue: every booked copy of a
run is taken, yet the daily run happens once and nobody gets a reminder twice."""

from __future__ import annotations

import email
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psycopg

from core.tests.processes import ROOT, environment, manage
from notify.tests import worker_race


def _recipients(mail_dir: Path) -> Counter:
    sent: Counter = Counter()
    for path in mail_dir.glob("*.log"):
        for chunk in path.read_text(encoding="utf-8").split("-" * 79):
            if chunk.strip():
                sent[email.message_from_string(chunk.strip())["To"]] += 1
    return sent


def _wait(done, what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, f"the workers did not {what} in {seconds} s"
        time.sleep(0.2)


def test_two_workers_run_each_job_once_and_send_each_reminder_once(fresh_postgres, tmp_path):
    # Its own database: the shared one may hold what other tests booked, which would be run too.
    migrated_postgres = fresh_postgres
    env = environment(
        tmp_path,
        migrated_postgres,
        CCHC_EMAIL_BACKEND="notify.tests.worker_race.SlowMail",
        CCHC_REMINDER_HOUR="0",
    )
    manage("shell", "-c", "from notify.tests.worker_race import prepare; prepare()", env=env)
    worker = [sys.executable, str(ROOT / "manage.py"), "db_worker", "--no-reload"]
    logs = [tmp_path / f"w{n}.log" for n in (1, 2)]
    workers = [
        subprocess.Popen(
            [*worker, "--interval", "0.2", "--worker-id", log.stem],
            env=env,
            cwd=ROOT,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        for log in logs
    ]
    try:
        _wait(lambda: all("Starting worker" in log.read_text() for log in logs), "start")
        with psycopg.connect(migrated_postgres, autocommit=True) as conn:
            conn.execute(
                "UPDATE django_tasks_database_dbtaskresult SET run_after = now()"
                " WHERE run_after = %s",
                [worker_race.HELD],
            )
            waiting = (
                "SELECT count(*) FROM django_tasks_database_dbtaskresult"
                " WHERE status IN ('READY', 'RUNNING') AND run_after <= now()"
            )
            _wait(lambda: conn.execute(waiting).fetchone()[0] == 0, "finish the work")
    finally:
        for process in workers:
            process.terminate()
        for process in workers:
            process.wait(timeout=30)

    sent = _recipients(tmp_path / "mail")
    people = worker_race.PEOPLE
    assert sorted(sent) == sorted(
        [f"due{i}@example.vn" for i in range(people)]
        + [f"late{i}@example.vn" for i in range(people)]
    )
    assert set(sent.values()) == {1}, sent
    with psycopg.connect(migrated_postgres) as conn:
        rows = conn.execute(
            "SELECT status, worker_ids, return_value FROM django_tasks_database_dbtaskresult"
            " WHERE task_path LIKE 'notify.tasks.%' AND status <> 'READY'"
        ).fetchall()
        runs = conn.execute("SELECT count(*) FROM notify_dailyrun").fetchone()[0]
        digests = conn.execute(
            "SELECT count(*), count(sent_at), count(claimed_at) FROM notify_digest"
        ).fetchone()
    assert {status for status, _, _ in rows} == {"SUCCESSFUL"}
    taken_by = {worker for _, ids, _ in rows for worker in ids}
    assert taken_by == {"w1", "w2"}  # both workers took copies of the runs
    daily = [value for _, _, value in rows if value and "people" in value]
    assert len(daily) == 1 and daily[0]["people"] == people
    skipped = [value for _, _, value in rows if value == {"skipped": True}]
    assert len(skipped) == worker_race.DUPLICATE_DAILY_RUNS + worker_race.RETRY_RUNS // 2 - 1
    assert runs == 1
    assert digests == (2 * people, 2 * people, 0)
