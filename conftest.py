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


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright: required under CI=true, else skipped if absent."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true requires /usr/bin/chromium for the browser tests")
        pytest.skip("Chromium is not installed (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def demo_site(live_server):
    """The live server with every app's demo data loaded; its base URL."""
    from django.core.management import call_command

    call_command("load_demo", "--quiet")
    return live_server.url


@pytest.fixture
def login():
    """Log a demo account in through the login form, starting from a fresh session; unless told
    otherwise, wait until the page shows the signed-in user."""
    from playwright.sync_api import expect

    from org.demo import DEMO_PASSWORD

    def log_in(page, base: str, username: str, password: str = DEMO_PASSWORD, *, wait=True):
        page.context.clear_cookies()
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button.primary")
        if wait:
            expect(page.locator(".userbox")).to_be_visible()

    return log_in


@pytest.fixture
def screenshot():
    def take(page, name: str) -> Path:
        TEST_OUTPUT.mkdir(exist_ok=True)
        path = TEST_OUTPUT / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# The organisations every app's tests share (units, departments, one person per role).
from org.tests.conftest import world  # noqa: E402, F401


@pytest.fixture(scope="session")
def pristine_postgres(django_db_setup, django_db_blocker):
    """The name of a copy of the migrated test database that nothing connects to, so that it
    can be copied again at any time; skipped on SQLite."""
    from django.conf import settings
    from django.db import connections

    from core.tests.processes import postgres_url, throwaway_postgres

    url = postgres_url()
    if url is None:
        pytest.skip("runs on PostgreSQL only (DATABASE_URL)")
    with django_db_blocker.unblock():
        connections.close_all()  # a template database may have no other session
    with throwaway_postgres(url, template=settings.DATABASES["default"]["NAME"]) as database_url:
        yield database_url.rsplit("/", 1)[1]


@pytest.fixture(scope="session")
def migrated_postgres(pristine_postgres):
    """A throwaway PostgreSQL database with every migration applied, shared by the tests that
    start the system's own processes; skipped on SQLite."""
    from core.tests.processes import postgres_url, throwaway_postgres

    with throwaway_postgres(postgres_url(), template=pristine_postgres) as database_url:
        yield database_url


@pytest.fixture
def fresh_postgres(pristine_postgres):
    """Like `migrated_postgres`, but for one test alone: nothing other tests left there."""
    from core.tests.processes import postgres_url, throwaway_postgres

    with throwaway_postgres(postgres_url(), template=pristine_postgres) as database_url:
        yield database_url
