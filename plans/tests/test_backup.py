"""`manage.py backup` and `restore`: a round trip into an empty system gives back every row of
every table and every file, checksums equal; a damaged backup or a system in use is refused."""

from __future__ import annotations

import hashlib
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from core.backup import BackupError, backup, restore
from core.files import EVIDENCE_KINDS, UploadedFile, store_upload
from core.tests.processes import environment, manage, postgres_url, throwaway_postgres
from org.models import Role
from plans.models import Evidence, Task


def _rows() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        tables = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            tables[table] = sorted(repr(row) for row in cursor.fetchall())
    return tables


def _files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_round_trip_on_sqlite(transactional_db, world, plan, settings, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip; PostgreSQL has its own below")
    import io

    task = Task.objects.get(number="4")
    officer = world.people[Role.OFFICER]
    for i in range(3):
        content = b"%PDF-1.7 bien ban " + bytes([i]) * 50_000
        upload = UploadedFile(f"bien-ban-{i}.pdf", io.BytesIO(content))
        store_upload(Evidence(task=task), upload.name, upload.stream, EVIDENCE_KINDS, officer)
    rows, files = _rows(), _files(settings.MEDIA_ROOT)
    assert len(files) == 3 and sum(map(len, rows.values())) > 50

    outcome = backup(tmp_path / "backup")
    assert (outcome.method, outcome.files) == ("sqlite", 3)
    with pytest.raises(BackupError, match="not empty"):
        restore(tmp_path / "backup")  # onto the system in use

    # An empty system: no rows, no files.
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "new-media"
    assert not Evidence.objects.exists()

    damaged = tmp_path / "backup" / "files" / next(iter(files))
    good = damaged.read_bytes()
    damaged.write_bytes(good[:-1] + b"x")
    with pytest.raises(BackupError, match="checksum"):
        restore(tmp_path / "backup")
    assert not Evidence.objects.exists()  # nothing changed
    damaged.write_bytes(good)

    restore(tmp_path / "backup")
    assert _rows() == rows
    assert _files(settings.MEDIA_ROOT) == files
    print(f"\nSQLite round trip: {len(rows)} tables, {sum(map(len, rows.values()))} rows, 3 files")


FILL = """
from django.core.management import call_command
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from notify.tests.worker_race import prepare
prepare(prefix='backup-')
for i in range(4):
    default_storage.save(f"evidence/{i}/ho-so.pdf", ContentFile(b"%PDF-1.7 " + bytes([i]) * 9000))
call_command("backup", FOLDER)
"""


def _pg_rows(url: str) -> dict[str, list[str]]:
    with psycopg.connect(url) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {
            table: sorted(repr(row) for row in conn.execute(f'SELECT * FROM "{table}"'))
            for table in tables
        }


@pytest.mark.django_db
def test_round_trip_on_postgresql(migrated_postgres, tmp_path):
    source_env = environment(tmp_path / "source", migrated_postgres)
    folder = str(tmp_path / "backup")
    said = manage("shell", "-c", f"FOLDER = {folder!r}\n{FILL}", env=source_env)
    assert "pg_dump" in said and "4 files" in said
    with throwaway_postgres(postgres_url()) as empty:
        target_env = environment(tmp_path / "target", empty)
        said = manage("restore", str(tmp_path / "backup"), env=target_env)
        assert "every checksum verified" in said
        before, after = _pg_rows(migrated_postgres), _pg_rows(empty)
    assert after == before
    assert sum(map(len, after.values())) > 50
    assert _files(tmp_path / "target" / "media") == _files(tmp_path / "source" / "media")
    assert len(_files(tmp_path / "target" / "media")) == 4
    print(f"\nPostgreSQL round trip: {len(after)} tables, {sum(map(len, after.values()))} rows")
