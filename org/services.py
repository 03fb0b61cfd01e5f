"""Rules about units, departments and people, callable without HTTP."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.text import initials, normalize_name
from org.models import Department, DepartmentKind, Role, RoleGrant, Unit, User

# Words that say what kind of body a department is; officials often drop or abbreviate them.
KIND_WORDS = ("van phong", "trung tam", "bo phan", "phong", "ban", "to")
# Words that say which unit it is in: "Văn phòng HĐND và UBND phường (Thành Đông)".
UNIT_WORDS = ("phuong", "xa", "thi tran", "dac khu")


def _strip_unit_words(key: str, unit_key: str) -> str:
    for word in UNIT_WORDS:
        for tail in (f" {word} {unit_key}", f" {word}"):
            if unit_key and key.endswith(tail) and len(key) > len(tail):
                return key[: -len(tail)].strip()
            if not unit_key and key.endswith(f" {word}") and len(key) > len(word) + 1:
                return key[: -len(word) - 1].strip()
    return key


def _split_kind(key: str) -> tuple[str, str]:
    for word in KIND_WORDS:
        if key.startswith(word + " "):
            return word, key[len(word) + 1 :]
    return "", key


def query_keys(text: str, unit_key: str = "") -> set[str]:
    """The keys a written department name is looked up by."""
    key = normalize_name(text)
    if not key:
        return set()
    stripped = _strip_unit_words(key, unit_key)
    keys = {key.replace(" ", ""), stripped.replace(" ", "")}
    kind, rest = _split_kind(stripped)
    if kind and rest:
        keys.add(rest.replace(" ", ""))
    return keys


def department_keys(names: Iterable[str], unit_key: str = "") -> set[str]:
    """Every key under which a department with these names (name, short name, aliases) is found."""
    keys: set[str] = set()
    for name in names:
        key = normalize_name(name)
        if not key:
            continue
        stripped = _strip_unit_words(key, unit_key)
        keys |= {key.replace(" ", ""), stripped.replace(" ", "")}
        kind, rest = _split_kind(stripped)
        if kind and rest:
            keys.add(rest.replace(" ", ""))
            rest_initials = initials(rest).lower()
            if len(rest.split()) >= 2 and len(rest_initials) >= 3:
                keys.add(kind.replace(" ", "") + rest_initials)
                keys.add(rest_initials)
    return keys


class DepartmentMatcher:
    """Finds a unit's department from any way the documents write its name."""

    def __init__(self, unit: Unit, departments: Sequence[Department] | None = None):
        self.unit = unit
        self.unit_key = normalize_name(unit.name)
        self.departments = list(
            departments if departments is not None else unit.departments.filter(is_active=True)
        )
        self._keys = {
            d.pk: department_keys([d.name, d.short_name, *d.aliases], self.unit_key)
            for d in self.departments
        }

    def match(self, text: str) -> Department | None:
        key = normalize_name(text)
        if not key:
            return None
        exact = [d for d in self.departments if d.name_key == key]
        if len(exact) == 1:
            return exact[0]
        wanted = query_keys(text, self.unit_key)
        found = [d for d in self.departments if wanted & self._keys[d.pk]]
        if len(found) == 1:
            return found[0]
        if found:
            return None  # ambiguous: a person must choose
        # "Phòng Kinh tế" for "Phòng Kinh tế, Hạ tầng và Đô thị": a unique word prefix.
        stripped = _strip_unit_words(key, self.unit_key)
        prefixed = [d for d in self.departments if d.name_key.startswith(stripped + " ")]
        return prefixed[0] if len(prefixed) == 1 else None

    def conflicts(self, names: Iterable[str], exclude: Department | None = None) -> list[str]:
        """Names of other departments that these names would be confused with."""
        keys = department_keys(names, self.unit_key)
        return [
            d.name
            for d in self.departments
            if (exclude is None or d.pk != exclude.pk) and keys & self._keys[d.pk]
        ]


def match_department(unit: Unit, text: str) -> Department | None:
    return DepartmentMatcher(unit).match(text)


def guess_department_kind(name: str) -> str:
    kind, _rest = _split_kind(normalize_name(name))
    return {
        "van phong": DepartmentKind.OFFICE,
        "trung tam": DepartmentKind.CENTRE,
        "bo phan": DepartmentKind.SECTION,
        "phong": DepartmentKind.DIVISION,
        "ban": DepartmentKind.BOARD,
    }.get(kind, DepartmentKind.OTHER)


def parse_aliases(text: str | Sequence[str]) -> list[str]:
    parts = text.replace("\n", ";").split(";") if isinstance(text, str) else list(text)
    return [p.strip() for p in parts if p and p.strip()]


@dataclass
class DepartmentData:
    name: str
    short_name: str = ""
    kind: str = ""
    aliases: Sequence[str] = ()


def check_department(
    unit: Unit, data: DepartmentData, existing: Department | None = None
) -> list[str]:
    """Vietnamese messages for what is wrong with these department data (empty when fine)."""
    errors = []
    if not normalize_name(data.name):
        errors.append(_("The department name is empty."))
        return errors
    if data.kind and data.kind not in DepartmentKind.values:
        errors.append(_("Unknown department kind “%(kind)s”.") % {"kind": data.kind})
    others = DepartmentMatcher(unit).conflicts(
        [data.name, data.short_name, *data.aliases], exclude=existing
    )
    if others:
        errors.append(
            _("“%(name)s” is already used by the department “%(other)s” of this unit.")
            % {"name": data.name, "other": others[0]}
        )
    return errors


@transaction.atomic
def save_department(
    unit: Unit, data: DepartmentData, existing: Department | None = None
) -> Department:
    """Create or update a department; refuses names that clash with another department."""
    errors = check_department(unit, data, existing)
    if errors:
        raise ValidationError(errors)
    department = existing or Department(unit=unit)
    department.name = data.name.strip()
    department.short_name = data.short_name.strip()
    department.kind = data.kind or guess_department_kind(data.name)
    department.aliases = parse_aliases(data.aliases)
    if existing is None:
        department.order = unit.departments.count() + 1
    department.save()
    return department


@transaction.atomic
def grant_role(
    user: User, role: str, unit: Unit | None, department: Department | None = None
) -> RoleGrant:
    grant = RoleGrant(user=user, role=role, unit=unit, department=department)
    grant.full_clean()
    grant.save()
    return grant


def people_of(unit: Unit):
    return User.objects.filter(unit=unit, is_active=True).select_related("department")


def leaders_and_focals(unit: Unit) -> list[RoleGrant]:
    """Leadership first, then the focal officers."""
    grants = RoleGrant.objects.filter(unit=unit, role__in=[Role.LEADER, Role.FOCAL])
    return sorted(
        grants.select_related("user"),
        key=lambda g: (g.role != Role.LEADER, g.user.full_name),
    )


@transaction.atomic
def create_person(
    unit: Unit,
    *,
    username: str,
    full_name: str,
    role: str,
    email: str = "",
    position: str = "",
    department: Department | None = None,
    password: str | None = None,
) -> tuple[User, str]:
    """Create an account in a unit with one role; returns it and its first password."""
    if department is not None and department.unit_id != unit.pk:
        raise ValidationError(_("The department must belong to the person's unit."))
    password = password or _random_password()
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        position=position,
        unit=unit,
        department=department,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    grant_role(user, role, unit, department if role == Role.DEPARTMENT_HEAD else None)
    return user, password


def _random_password() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _i in range(12))
