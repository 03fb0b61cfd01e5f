"""Demo organisations and accounts: the units and departments the seed plans name.

The data live in fixtures/demo/*.csv and go through the same import services as a person's
upload, so the demo also proves those work.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Model

from org.imports import import_departments, import_units
from org.models import Role, RoleGrant, Unit, User
from org.services import DepartmentMatcher

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
DEMO_PASSWORD = "cchc-demo-2026"
SEEDS = Path(settings.BASE_DIR) / "fixtures" / "seeds"

# A tiny valid PDF standing in for the files officials upload (products, evidence, reports).
SAMPLE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def unit_to_fill(code: str, model: type[Model]) -> Unit | None:
    """The demo unit `code` for an app's demo data; None when the demo organisations are not
    loaded or the unit already has `model` rows (the demo is never loaded twice)."""
    unit = Unit.objects.filter(code=code).first()
    if unit is None or model.objects.filter(unit=unit).exists():
        return None
    return unit


def seed_text(prefix: str) -> str:
    """The text of the seed document whose name starts with `prefix` (e.g. "001")."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    unit: str


def _csv_rows(name: str) -> list[dict[str, str]]:
    with open(DEMO_DIR / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _fail_on_errors(report, what: str) -> None:
    if not report.saved:
        problems = "; ".join(f"row {r.number}: {', '.join(r.errors)}" for r in report.error_rows)
        raise RuntimeError(f"Demo {what} could not be imported: {problems}")


@transaction.atomic
def load(password: str = DEMO_PASSWORD) -> list[DemoAccount]:
    with open(DEMO_DIR / "units.csv", "rb") as handle:
        _fail_on_errors(import_units("units.csv", io.BytesIO(handle.read())), "units")

    by_unit: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _csv_rows("departments.csv"):
        by_unit[row.pop("Mã đơn vị")].append(row)
    for code, rows in by_unit.items():
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        unit = Unit.objects.get(code=code)
        report = import_departments(unit, "departments.csv", io.BytesIO(buffer.getvalue().encode()))
        _fail_on_errors(report, f"departments of {code}")

    accounts = []
    matchers: dict[str, DepartmentMatcher] = {}
    for row in _csv_rows("accounts.csv"):
        unit = Unit.objects.get(code=row["unit"]) if row["unit"] else None
        department = None
        if unit is not None and row["department"]:
            matcher = matchers.setdefault(unit.code, DepartmentMatcher(unit))
            department = matcher.match(row["department"])
            if department is None:
                raise RuntimeError(f"Demo department not matched: {row['department']}")
        user, _created = User.objects.get_or_create(username=row["username"])
        user.full_name, user.position = row["full_name"], row["position"]
        user.email = f"{row['username']}@demo.cchc.local"
        user.unit, user.department = unit, department
        user.is_staff = user.is_superuser = row["role"] == Role.ADMIN
        user.set_password(password)
        user.save()
        RoleGrant.objects.get_or_create(
            user=user,
            role=row["role"],
            unit=unit,
            department=department if row["role"] == Role.DEPARTMENT_HEAD else None,
        )
        accounts.append(
            DemoAccount(
                username=user.username,
                full_name=user.full_name,
                role=str(Role(row["role"]).label),
                unit=unit.full_name if unit else "",
            )
        )
    return accounts
