"""Backup and restore of the whole system: the database, by its own tools where there are any
(pg_dump/pg_restore for PostgreSQL, SQLite's backup API; Django's dumpdata/loaddata otherwise),
and every kept file of the default storage (local disk or object storage), with a manifest of
checksums that a restore verifies before it changes anything."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from django.apps import apps
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
FILES = "files"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason."""


@dataclass
class Outcome:
    method: str
    files: int
    bytes: int


def _copy(source: IO[bytes], target: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        target.write(chunk)
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def stored_names(storage: Storage = default_storage, folder: str = "") -> Iterator[str]:
    """Every file name in the storage, folders walked."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield str(PurePosixPath(folder, name)) if folder else name
    for sub in sorted(folders):
        yield from stored_names(storage, str(PurePosixPath(folder, sub)) if folder else sub)


def _pg_environment() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", db.get("HOST")),
        ("PGPORT", db.get("PORT")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGDATABASE", db.get("NAME")),
    ):
        if value:
            env[key] = str(value)
    return env


def _run(command: list[str]) -> None:
    done = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def _database_method() -> str:
    if connection.vendor == "postgresql" and shutil.which("pg_dump") and shutil.which("pg_restore"):
        return "pg_dump"
    if connection.vendor == "sqlite":
        return "sqlite"
    return "dumpdata"


def _dump_database(folder: Path) -> tuple[str, str]:
    method = _database_method()
    if method == "pg_dump":
        name = "database.pgdump"
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={folder / name}",
            ]
        )
    elif method == "sqlite":
        name = "database.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(folder / name)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        name = "database.json"
        call_command(
            "dumpdata",
            natural_foreign=True,
            natural_primary=True,
            exclude=["contenttypes", "auth.permission"],
            output=str(folder / name),
            verbosity=0,
        )
    return method, name


def backup(folder: Path, storage: Storage = default_storage) -> Outcome:
    """Write the database and every kept file into `folder` (new or empty), with a manifest."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty")
    (folder / FILES).mkdir(parents=True, exist_ok=True)
    # The database first: a file written meanwhile is then in the copy without its record,
    # never a record without its file.
    method, database = _dump_database(folder)
    files = []
    for name in stored_names(storage):
        target = folder / FILES / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, open(target, "wb") as out:
            checksum = _copy(source, out)
        files.append({"name": name, "size": target.stat().st_size, "sha256": checksum})
    manifest = {
        "format": 1,
        "created_at": timezone.now().isoformat(),
        "database": {
            "method": method,
            "vendor": connection.vendor,
            "file": database,
            "sha256": _sha256(folder / database),
        },
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return Outcome(method, len(files), sum(f["size"] for f in files))


def _verified_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder / MANIFEST} cannot be read: {exc}") from exc
    database = manifest["database"]
    if _sha256(folder / database["file"]) != database["sha256"]:
        raise BackupError(f"{database['file']} does not match its checksum")
    for entry in manifest["files"]:
        path = folder / FILES / entry["name"]
        if not path.is_file() or _sha256(path) != entry["sha256"]:
            raise BackupError(f"{entry['name']} is missing or does not match its checksum")
    return manifest


def _is_empty(storage: Storage) -> bool:
    user = apps.get_model(settings.AUTH_USER_MODEL)
    has_people = user._meta.db_table in connection.introspection.table_names() and (
        user.objects.exists()
    )
    return not has_people and next(stored_names(storage), None) is None


def _load_database(folder: Path, database: dict) -> None:
    path = folder / database["file"]
    if database["method"] == "pg_dump":
        if connection.vendor != "postgresql" or not shutil.which("pg_restore"):
            raise BackupError("a PostgreSQL backup needs a PostgreSQL database and pg_restore")
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(path),
            ]
        )
    elif database["method"] == "sqlite":
        if connection.vendor != "sqlite":
            raise BackupError("an SQLite backup needs an SQLite database")
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
        call_command("loaddata", str(path), verbosity=0)


def restore(folder: Path, storage: Storage = default_storage, *, replace: bool = False) -> Outcome:
    """Put back the database and files of a backup, after checking every checksum; refuses a
    system that already has people or files unless `replace` is given."""
    folder = Path(folder)
    manifest = _verified_manifest(folder)
    if not replace and not _is_empty(storage):
        raise BackupError("the system is not empty (it has people or files)")
    _load_database(folder, manifest["database"])
    for entry in manifest["files"]:
        name = entry["name"]
        if storage.exists(name):
            storage.delete(name)
        with open(folder / FILES / name, "rb") as source:
            saved = storage.save(name, File(source, name=name))
        if saved != name:
            raise BackupError(f"{name} was stored as {saved}")
        with storage.open(name, "rb") as kept:
            if _copy(kept, _Discard()) != entry["sha256"]:
                raise BackupError(f"{name} does not match its checksum once restored")
    total = sum(f["size"] for f in manifest["files"])
    return Outcome(manifest["database"]["method"], len(manifest["files"]), total)


class _Discard:
    def write(self, chunk: bytes) -> None:
        pass
