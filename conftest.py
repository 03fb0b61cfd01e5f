"""Shared test set-up: runs on SQLite always, on PostgreSQL when DATABASE_URL names one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("CCHC_ENV", "test")

ROOT = Path(__file__).resolve().parent
SEEDS = ROOT / "fixtures" / "seeds"
TEST_OUTPUT = ROOT / "test-output"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def seed_text():
    def read(prefix: str) -> str:
        (path,) = SEEDS.glob(f"{prefix}_*.txt")
        return path.read_text(encoding="utf-8")

    return read
