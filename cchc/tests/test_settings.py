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


DEVELOPMENT_DEFAULTS = {
    "PRODUCTION": True,
    "DEBUG": True,
    "SECRET_KEY": "dev-only-insecure-key-change-me",
    "ALLOWED_HOSTS": [],
    "EMAIL_HOST_USER": "cchc@thanhdong.gov.vn",
    "EMAIL_HOST_PASSWORD": "",
}
PROPER = {
    "PRODUCTION": True,
    "DEBUG": False,
    "SECRET_KEY": GOOD_SECRET,
    "ALLOWED_HOSTS": ["cchc.thanhdong.gov.vn"],
    "EMAIL_HOST_USER": "cchc@thanhdong.gov.vn",
    "EMAIL_HOST_PASSWORD": "from-the-environment",
}


def test_the_production_check_names_every_development_default():
    from django.core.exceptions import ImproperlyConfigured

    from cchc.settings import check_production_settings

    with pytest.raises(ImproperlyConfigured) as refused:
        check_production_settings(DEVELOPMENT_DEFAULTS)
    message = str(refused.value)
    for problem in ("DEBUG", "CCHC_SECRET_KEY", "CCHC_ALLOWED_HOSTS", "CCHC_EMAIL_PASSWORD"):
        assert problem in message
    assert message.count(";") == 3  # four problems, each named once


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"DEBUG": True}, "DEBUG"),
        ({"SECRET_KEY": "short-but-random-9f3k"}, "CCHC_SECRET_KEY"),
        ({"SECRET_KEY": "a" * 60}, "CCHC_SECRET_KEY"),  # long, not random
        ({"ALLOWED_HOSTS": []}, "CCHC_ALLOWED_HOSTS"),
        ({"EMAIL_HOST_PASSWORD": ""}, "CCHC_EMAIL_PASSWORD"),
    ],
)
def test_the_production_check_refuses_each_problem_alone(change, problem):
    from django.core.exceptions import ImproperlyConfigured

    from cchc.settings import check_production_settings

    with pytest.raises(ImproperlyConfigured, match=problem):
        check_production_settings(PROPER | change)


def test_the_production_check_accepts_proper_values_and_ignores_development():
    from cchc.settings import check_production_settings

    assert check_production_settings(PROPER) is None
    assert (
        check_production_settings(PROPER | {"EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": ""})
        is None
    )
    assert check_production_settings(DEVELOPMENT_DEFAULTS | {"PRODUCTION": False}) is None


def test_two_factor_is_required_by_default_in_production_only(tmp_path):
    probe = "from django.conf import settings; print(settings.CCHC_REQUIRE_2FA)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCHC_")}
    env |= {"DJANGO_SETTINGS_MODULE": "cchc.settings", "CCHC_VAR_DIR": str(tmp_path)}
    production = env | {
        "CCHC_ENV": "production",
        "CCHC_SECRET_KEY": GOOD_SECRET,
        "CCHC_ALLOWED_HOSTS": "cchc.vn",
    }
    answers = []
    for extra in (
        production,
        env | {"CCHC_ENV": "test"},
        env,
        production | {"CCHC_REQUIRE_2FA": "0"},
    ):
        result = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {probe}"],
            cwd=ROOT,
            env=extra,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        answers.append(result.stdout.strip())
    assert answers == ["True", "False", "False", "False"]
