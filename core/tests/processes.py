"""For tests that start the system's own processes (workers, management commands) against a
database of their own: a throwaway PostgreSQL database, and the environment to run them in."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]


def postgres_url() -> str | None:
    """The PostgreSQL server the tests run on, or None when they run on SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, "", ""))


@contextmanager
def throwaway_postgres(url: str, template: str = "") -> Iterator[str]:
    """A new database on the server of `url`, empty or a copy of `template`, dropped
    afterwards; yields its URL."""
    import psycopg

    name = f"cchc_throwaway_{uuid.uuid4().hex[:12]}"
    admin = with_database(url, "postgres")
    copy = f' TEMPLATE "{template}"' if template else ""
    deadline = time.monotonic() + 15
    with psycopg.connect(admin, autocommit=True) as conn:
        while True:
            try:
                conn.execute(f'CREATE DATABASE "{name}"{copy}')
                break
            except psycopg.errors.ObjectInUse:
                # A template may have no other session. One closing in another thread (a
                # finished live server's) is gone within moments; one a finished test leaked
                # stays, and is ended: tests run one after another, so nobody is using it.
                if time.monotonic() > deadline + 30:
                    raise
                if time.monotonic() > deadline:
                    conn.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = %s AND pid <> pg_backend_pid()",
                        [template],
                    )
                time.sleep(0.5)
    try:
        yield with_database(url, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment(var_dir: Path, database_url: str = "", **extra: str) -> dict[str, str]:
    """The environment of a child process: test settings, its own data folder and database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CCHC_", "DATABASE_URL"))}
    env.update(CCHC_ENV="test", CCHC_VAR_DIR=str(var_dir), PYTHONPATH=str(ROOT))
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str], timeout: float = 120) -> str:
    """Run `manage.py *args` in a child process; its output, or a failure showing its errors."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


_MOTO = """
import sys, time
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=int(sys.argv[1]))
server.start()
sys.stdin.read()  # until the test closes our input
server.stop()
"""


@contextmanager
def s3_server() -> Iterator[str]:
    """A local S3-compatible server (moto) on a free loopback port, in a process of its own so
    that what it keeps in memory is not counted as ours; yields its endpoint URL."""
    port = free_port()
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
    server = subprocess.Popen(
        [sys.executable, "-c", _MOTO, str(port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the local S3 server did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stdin.close()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
