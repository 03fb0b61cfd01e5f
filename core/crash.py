"""A test hook: the process stops dead at a named point, so that a test can kill it there and
check what a restart finds. Off unless `CCHC_CRASH_AT` names the point, and never in production."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.conf import settings


def point(name: str) -> None:
    """Pause for good at `name` when the environment asks for it; tell the test by a file."""
    if os.environ.get("CCHC_CRASH_AT") != name or getattr(settings, "PRODUCTION", False):
        return
    marker = os.environ.get("CCHC_CRASH_MARKER")
    if marker:
        Path(marker).write_text(f"{name} {os.getpid()}")
    while True:  # the test sends SIGKILL
        time.sleep(1)
