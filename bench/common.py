"""What the benchmarks share: Django on a throw-away database, signed-in clients, page timing.

Importing this module sets Django up, so a benchmark imports it before any model.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
os.environ.setdefault("CCHC_ENV", "test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def fresh_database(*, pages: bool = True) -> None:
    """A throw-away database. With `pages`, the benchmark URLs (they add a floor page), no
    lock-out and no debug. setup_test_environment is not called: its template instrumentation
    would be measured too."""
    if pages:
        settings.ROOT_URLCONF = "bench.urls"
        settings.AXES_ENABLED = False
        settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)


def signed_in(user, unit=None) -> Client:
    """A test client logged in as `user`, working on `unit`."""
    client = Client()
    client.force_login(user)
    if unit is not None:
        client.post("/switch-unit/", {"unit": unit.pk})
    return client


def timed_ms(action: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds of each of `repeat` runs, sorted."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def queries_of(client: Client, url: str, headers: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(url, **(headers or {}))
    return len(queries)


def measure(client: Client, url: str, repeat: int, headers: dict | None = None) -> dict:
    """Median and 95th percentile of a page, warm, and the queries it makes."""
    headers = headers or {}
    for _ in range(3):  # warm
        assert client.get(url, **headers).status_code == 200, url
    times = timed_ms(lambda: client.get(url, **headers), repeat)
    return {
        "median": statistics.median(times),
        "p95": times[int(0.95 * (len(times) - 1))],
        "queries": queries_of(client, url, headers),
    }


def record(figures: dict, name: str, result: dict) -> None:
    """Keep a page's figures under its name and print them."""
    figures[f"{name}_ms_median"] = round(result["median"], 2)
    figures[f"{name}_ms_p95"] = round(result["p95"], 2)
    figures[f"{name}_queries"] = result["queries"]
    median, p95, count = result["median"], result["p95"], result["queries"]
    print(f"{name:22} median {median:7.2f} ms  p95 {p95:7.2f} ms  {count} queries")


def over_floor(figures: dict, names: Iterable[str], floor: str = "floor_page") -> None:
    """Each page's median as a multiple of the floor page's, readable on a noisy machine."""
    base = figures[f"{floor}_ms_median"]
    for name in names:
        if name != floor:
            figures[f"{name}_over_floor"] = round(figures[f"{name}_ms_median"] / base, 2)


def province_with_communes(code: str, name: str, communes: int, departments: int, department_name):
    """A province, its appraiser and `communes` wards made in bulk, each with `departments`
    departments named `department_name(k)`: (province, appraiser, units, departments by unit)."""
    from core.text import search_key
    from org.models import Department, Role, RoleGrant, Unit, UnitLevel, User

    province = Unit.objects.create(code=code, name=name, kind="province")
    appraiser = User.objects.create(
        username=f"appraiser-{code}", full_name="Chuyên viên Sở Nội vụ", unit=province
    )
    RoleGrant.objects.create(user=appraiser, role=Role.APPRAISER, unit=province)
    units = Unit.objects.bulk_create(
        Unit(
            code=f"{code}-{n:03d}",
            name=f"Phường Số {n:03d}",
            kind="ward",
            level=UnitLevel.COMMUNE,
            parent=province,
            province=province,
            search_text=search_key(f"Phường Số {n:03d}", f"{code}-{n:03d}", "Phường"),
        )
        for n in range(communes)
    )
    made = Department.objects.bulk_create(
        Department(unit=u, name=department_name(k), name_key=search_key(department_name(k)))
        for u in units
        for k in range(departments)
    )
    by_unit = [made[i * departments : (i + 1) * departments] for i in range(len(units))]
    return province, appraiser, units, by_unit
