"""A database built by `load_demo` before the apps were re-laid (import workflow in `ingest`,
initiatives in `surveys`) migrates forward with every row, and its history stays attached."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OLD_DEMO = ROOT / "fixtures" / "layout" / "demo_before_layout.sqlite3.gz"

COUNT_THROUGH_MODELS = """
import json
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from auditlog.models import LogEntry
counts = {m._meta.db_table: m._default_manager.count() for m in apps.get_models()}
stale = sorted(
    f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all() if ct.model_class() is None
)
orphans = LogEntry.objects.filter(content_type__in=[
    ct.pk for ct in ContentType.objects.all() if ct.model_class() is None
]).count()
print(json.dumps({"counts": counts, "stale": stale, "orphan_history": orphans}))
"""


def _table_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [
            name
            for (name,) in db.execute("select name from sqlite_master where type = 'table'")
            if not name.startswith("sqlite_")
        ]
        return {t: db.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}


@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="the old demo database is a SQLite file"
)
def test_old_demo_database_migrates_forward_with_every_row(tmp_path):
    database = tmp_path / "cchc.sqlite3"
    with gzip.open(OLD_DEMO) as packed, database.open("wb") as unpacked:
        shutil.copyfileobj(packed, unpacked)
    before = _table_counts(database)
    assert before["ingest_documentimport"] == 2 and before["surveys_initiative"] == 3

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(CCHC_VAR_DIR=str(tmp_path), CCHC_ENV="test")
    manage = [sys.executable, str(ROOT / "manage.py")]
    migrated = subprocess.run(
        [*manage, "migrate", "--no-input"], env=env, capture_output=True, text=True, cwd=ROOT
    )
    assert migrated.returncode == 0, migrated.stderr

    after = _table_counts(database)
    lost = {t: (n, after.get(t)) for t, n in before.items() if after.get(t, 0) < n}
    assert lost == {}

    read = subprocess.run(
        [*manage, "shell", "-c", COUNT_THROUGH_MODELS],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert read.returncode == 0, read.stderr
    seen = json.loads(read.stdout.strip().splitlines()[-1])
    # Every row of the old tables is read by today's models, wherever their app now is.
    # (migrate may add permissions and content types of its own, never remove rows)
    grows = {"auth_permission", "django_content_type"}
    unread = {
        table: (count, seen["counts"][table])
        for table, count in before.items()
        if table in seen["counts"]
        and (seen["counts"][table] < count if table in grows else seen["counts"][table] != count)
    }
    assert unread == {}
    assert {"ingest_documentimport", "surveys_initiative"} <= set(seen["counts"])
    # No content type is left pointing at a model that moved, so no history is orphaned.
    assert seen["stale"] == []
    assert seen["orphan_history"] == 0
