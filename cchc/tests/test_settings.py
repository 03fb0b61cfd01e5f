"""Production settings refuse to start with development defaults; SQLite runs in WAL mode."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _start(env: dict[str, str]) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith("CCHC_")}
    full.update(env)
    full["DJANGO_SETTINGS_MODULE"] = "cchc.settings"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
    )


GOOD_SECRET = "x" * 20 + "-production-secret-that-is-long-enough-" + "y" * 20


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        (
            {"CCHC_DEBUG": "1", "CCHC_SECRET_KEY": GOOD_SECRET, "CCHC_ALLOWED_HOSTS": "cchc.vn"},
            "DEBUG",
        ),
        ({"CCHC_ALLOWED_HOSTS": "cchc.vn"}, "CCHC_SECRET_KEY"),
        ({"CCHC_SECRET_KEY": GOOD_SECRET}, "CCHC_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_unsafe_settings(tmp_path, env, complaint):
    result = _start({"CCHC_ENV": "production", "CCHC_VAR_DIR": str(tmp_path), **env})
    assert result.returncode != 0
    assert complaint in result.stderr


def test_production_starts_with_safe_settings(tmp_path):
    result = _start(
        {
            "CCHC_ENV": "production",
            "CCHC_VAR_DIR": str(tmp_path),
            "CCHC_SECRET_KEY": GOOD_SECRET,
            "CCHC_ALLOWED_HOSTS": "cchc.vn",
        }
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
        cursor.execute("PRAGMA journal_mode")
        # the test database lives in memory, where SQLite reports "memory" instead of WAL
        assert cursor.fetchone()[0] in ("wal", "memory")
