"""Importing a province's communes and a commune's departments from .xlsx or .csv.

Imports are all-or-nothing: every row is checked first; if any row has an error, nothing is saved
and the report lists each row's problems. Existing records (same code, same department name) are
updated, so the same file can be imported again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.tables import SheetRow, read_sheet
from core.text import normalize_name
from org.models import LEVEL_OF_KIND, Department, Unit, UnitKind, UnitLevel
from org.services import (
    DepartmentData,
    DepartmentMatcher,
    department_keys,
    guess_department_kind,
    parse_aliases,
)


@dataclass
class RowOutcome:
    number: int
    label: str
    action: str = ""  # "created" | "updated" | "" when the row has errors
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowOutcome] = field(default_factory=list)
    saved: bool = False

    @property
    def error_rows(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.errors]

    @property
    def created(self) -> int:
        return sum(r.action == "created" for r in self.rows)

    @property
    def updated(self) -> int:
        return sum(r.action == "updated" for r in self.rows)


UNIT_COLUMNS = {
    "code": ["Mã", "Mã đơn vị", "Mã ĐVHC", "Code"],
    "name": ["Tên", "Tên đơn vị", "Tên ĐVHC", "Name"],
    "kind": ["Loại", "Cấp", "Loại đơn vị", "Kind"],
    "parent_code": ["Mã đơn vị cấp trên", "Mã cấp trên", "Trực thuộc (mã)", "Parent code"],
}
UNIT_LABELS = {
    "code": gettext_lazy("Code"),
    "name": gettext_lazy("Name"),
    "kind": gettext_lazy("Kind"),
    "parent_code": gettext_lazy("Parent unit code"),
}

# How the kinds are written in Vietnamese lists of administrative units.
KIND_WORDS = {
    "tinh": UnitKind.PROVINCE,
    "thanh pho truc thuoc trung uong": UnitKind.CITY,
    "thanh pho": UnitKind.CITY,
    "huyen": UnitKind.DISTRICT,
    "quan": UnitKind.URBAN_DISTRICT,
    "thi xa": UnitKind.TOWN,
    "thanh pho thuoc tinh": UnitKind.PROVINCIAL_CITY,
    "xa": UnitKind.COMMUNE,
    "phuong": UnitKind.WARD,
    "thi tran": UnitKind.TOWNSHIP,
    "dac khu": UnitKind.SPECIAL_ZONE,
}


def parse_unit_kind(text: str, has_parent: bool) -> str | None:
    key = normalize_name(text)
    if key in UnitKind.values:
        return key
    kind = KIND_WORDS.get(key)
    if kind == UnitKind.CITY and has_parent:
        return UnitKind.PROVINCIAL_CITY  # "Thành phố" under a province is a provincial city
    return kind


def _check_unit_rows(rows: list[SheetRow], scope: Unit | None) -> tuple[ImportReport, list]:
    report = ImportReport()
    planned = []
    known = {u.code: u for u in Unit.objects.all()}
    # First pass: what the file itself declares, so a row may name a parent on a later row.
    in_file: dict[str, tuple[int, int]] = {}  # code -> (first row number, level)
    for row in rows:
        code = row.values.get("code", "").strip()
        kind = parse_unit_kind(row.values.get("kind", ""), bool(row.values.get("parent_code")))
        if code and kind and code not in in_file:
            in_file[code] = (row.number, LEVEL_OF_KIND[UnitKind(kind)])
    for row in rows:
        v = row.values
        code, name = v.get("code", "").strip(), v.get("name", "").strip()
        parent_code = v.get("parent_code", "").strip()
        outcome = RowOutcome(number=row.number, label=f"{code} {name}".strip())
        if not code:
            outcome.errors.append(_("The code is empty."))
        if not name:
            outcome.errors.append(_("The name is empty."))
        if not parent_code and scope is not None:
            parent_code = scope.code
        kind = parse_unit_kind(v.get("kind", ""), bool(parent_code))
        if kind is None:
            outcome.errors.append(
                _("Unknown kind “%(kind)s”: write Tỉnh, Thành phố, Huyện, Thị xã, Xã, Phường…")
                % {"kind": v.get("kind", "")}
            )
        if code in in_file and in_file[code][0] != row.number:
            outcome.errors.append(
                _("The code %(code)s is already on row %(row)d.")
                % {"code": code, "row": in_file[code][0]}
            )
        level = LEVEL_OF_KIND[UnitKind(kind)] if kind else None
        parent_level = None
        if parent_code:
            if parent_code == code:
                outcome.errors.append(_("A unit cannot belong to itself."))
            elif parent_code in in_file:
                parent_level = in_file[parent_code][1]
            elif parent_code in known:
                parent_level = known[parent_code].level
            else:
                outcome.errors.append(
                    _("Unknown parent unit code “%(code)s”.") % {"code": parent_code}
                )
        if level is not None:
            if level == UnitLevel.PROVINCE and parent_code:
                outcome.errors.append(_("A province-level unit has no parent unit."))
            elif level != UnitLevel.PROVINCE and not parent_code:
                outcome.errors.append(_("The parent unit code is missing."))
            elif parent_level is not None and parent_level >= level:
                outcome.errors.append(_("The parent unit must be of a higher level than this one."))
        if scope is not None and parent_code and parent_code != scope.code:
            parent = known.get(parent_code)
            if parent is None or parent.province_id != scope.province_id:
                outcome.errors.append(
                    _("The parent unit is not part of %(scope)s.") % {"scope": scope.full_name}
                )
        outcome.action = "updated" if code in known else "created"
        report.rows.append(outcome)
        planned.append((code, name, kind, parent_code))
    for outcome in report.rows:
        if outcome.errors:
            outcome.action = ""
    return report, planned


def import_units(name: str, stream: IO[bytes], scope: Unit | None = None) -> ImportReport:
    """Import units; with `scope` (a province), rows without a parent go under it."""
    rows = read_sheet(name, stream, UNIT_COLUMNS, ["code", "name", "kind"], UNIT_LABELS)
    report, planned = _check_unit_rows(rows, scope)
    if report.error_rows:
        return report
    with transaction.atomic():
        by_code = {u.code: u for u in Unit.objects.select_for_update().all()}
        # Parents first: provinces, then districts, then communes.
        for code, unit_name, kind, parent_code in sorted(
            planned, key=lambda p: LEVEL_OF_KIND[UnitKind(p[2])]
        ):
            unit = by_code.get(code) or Unit(code=code)
            unit.name, unit.kind = unit_name, kind
            unit.parent = by_code[parent_code] if parent_code else None
            unit.save()
            by_code[code] = unit
    report.saved = True
    return report


DEPARTMENT_COLUMNS = {
    "name": ["Tên phòng ban", "Tên", "Tên cơ quan, đơn vị", "Phòng ban", "Name"],
    "short_name": ["Tên viết tắt", "Viết tắt", "Short name"],
    "kind": ["Loại", "Kind"],
    "aliases": ["Tên gọi khác", "Cách viết khác", "Aliases"],
}
DEPARTMENT_LABELS = {
    "name": gettext_lazy("Department name"),
    "short_name": gettext_lazy("Short name"),
    "kind": gettext_lazy("Kind"),
    "aliases": gettext_lazy("Other names"),
}
DEPARTMENT_KIND_WORDS = {
    "van phong": "office",
    "phong": "division",
    "ban": "board",
    "trung tam": "centre",
    "bo phan": "section",
    "khac": "other",
}


def import_departments(unit: Unit, name: str, stream: IO[bytes]) -> ImportReport:
    rows = read_sheet(name, stream, DEPARTMENT_COLUMNS, ["name"], DEPARTMENT_LABELS)
    existing = list(unit.departments.all())
    matcher = DepartmentMatcher(unit, existing)
    report = ImportReport()
    planned: list[tuple[Department | None, DepartmentData]] = []
    seen: dict[str, tuple[int, set[str]]] = {}
    for row in rows:
        v = row.values
        data = DepartmentData(
            name=v.get("name", "").strip(),
            short_name=v.get("short_name", "").strip(),
            aliases=parse_aliases(v.get("aliases", "")),
        )
        outcome = RowOutcome(number=row.number, label=data.name)
        kind_text = normalize_name(v.get("kind", ""))
        data.kind = DEPARTMENT_KIND_WORDS.get(kind_text, "") or (
            guess_department_kind(data.name) if not kind_text else ""
        )
        if kind_text and not data.kind:
            outcome.errors.append(
                _("Unknown kind “%(kind)s”: write Phòng, Ban, Trung tâm, Bộ phận or Văn phòng.")
                % {"kind": v.get("kind", "")}
            )
        if not normalize_name(data.name):
            outcome.errors.append(_("The department name is empty."))
        current = next((d for d in existing if d.name_key == normalize_name(data.name)), None)
        names = [data.name, data.short_name, *data.aliases]
        clashes = matcher.conflicts(names, exclude=current)
        if clashes:
            outcome.errors.append(
                _("“%(name)s” is already used by the department “%(other)s” of this unit.")
                % {"name": data.name, "other": clashes[0]}
            )
        keys = department_keys(names, matcher.unit_key)
        for other_row, other_keys in seen.values():
            if keys & other_keys:
                outcome.errors.append(
                    _("This department is the same as the one on row %(row)d.") % {"row": other_row}
                )
                break
        seen[normalize_name(data.name)] = (row.number, keys)
        outcome.action = "" if outcome.errors else ("updated" if current else "created")
        report.rows.append(outcome)
        planned.append((current, data))
    if report.error_rows:
        return report
    with transaction.atomic():
        order = len(existing)
        for current, data in planned:
            department = current or Department(unit=unit)
            department.name = data.name
            # A blank cell keeps what is recorded rather than erasing it.
            department.short_name = data.short_name or department.short_name
            department.kind = data.kind or department.kind
            department.aliases = list(data.aliases) or department.aliases
            if current is None:
                order += 1
                department.order = order
            department.save()
    report.saved = True
    return report
