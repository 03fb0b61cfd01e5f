"""Who may do what, decided here and only here.

Every page, API endpoint and service asks `can(user, action, obj)` or narrows a query with
`visible_units(user)` / `filter_visible(...)`. An object takes part by offering
`access_scope()`, which names the unit it belongs to and, where it applies, the departments
responsible for it and the people assigned to it.

The rules, by role (a person may hold several roles, in several units):
- system administrator: everything, everywhere;
- province appraiser: reads the province and every unit under it; appraises commune-level units;
- commune leadership: reads everything of its unit and approves it;
- CCHC focal officer: reads and edits the CCHC work of its unit and manages its directory;
- department head: reads its unit; edits the work of its department;
- officer: reads its unit; edits the work assigned to it.
A person of one commune never reads another commune's data, nor the province's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from django.db.models import Q, QuerySet

from org.models import Role, RoleGrant, Unit, UnitLevel, User


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    APPROVE = "approve"
    APPRAISE = "appraise"
    MANAGE = "manage"


@dataclass(frozen=True)
class Scope:
    """What an object says about whose it is."""

    unit_id: int | None
    department_ids: frozenset[int] = field(default_factory=frozenset)
    assignee_ids: frozenset[int] = field(default_factory=frozenset)


class Scoped(Protocol):
    def access_scope(self) -> Scope: ...


@dataclass(frozen=True)
class _Grant:
    role: str
    unit_id: int | None
    department_id: int | None


def _grants(user: Any) -> tuple[_Grant, ...]:
    """The user's grants, read once per request and kept on the user object."""
    cached = getattr(user, "_cchc_grants", None)
    if cached is None:
        cached = tuple(
            _Grant(g.role, g.unit_id, g.department_id)
            for g in RoleGrant.objects.filter(user_id=user.pk).only(
                "role", "unit_id", "department_id"
            )
        )
        user._cchc_grants = cached
    return cached


def _active(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_system_admin(user: Any) -> bool:
    if not _active(user):
        return False
    return user.is_superuser or any(g.role == Role.ADMIN for g in _grants(user))


def _unit_facts(unit_id: int) -> tuple[int | None, int]:
    row = Unit.objects.filter(pk=unit_id).values_list("province_id", "level").first()
    return row if row else (None, 0)


def can(user: Any, action: Action | str, obj: Scoped | Scope) -> bool:
    """May `user` perform `action` on `obj`?"""
    if not _active(user):
        return False
    if is_system_admin(user):
        return True
    scope = obj if isinstance(obj, Scope) else obj.access_scope()
    if scope.unit_id is None:
        return False
    action = Action(action)
    target_province = target_level = None
    for grant in _grants(user):
        if grant.role == Role.APPRAISER:
            if target_province is None:
                target_province, target_level = _unit_facts(scope.unit_id)
            if target_province != grant.unit_id:
                continue
            if action == Action.VIEW:
                return True
            if action == Action.APPRAISE and target_level == UnitLevel.COMMUNE:
                return True
            continue
        if grant.unit_id != scope.unit_id:
            continue
        if action == Action.VIEW:
            return True
        if grant.role == Role.LEADER and action == Action.APPROVE:
            return True
        if grant.role == Role.FOCAL and action in (Action.EDIT, Action.MANAGE):
            return True
        if (
            grant.role == Role.DEPARTMENT_HEAD
            and action == Action.EDIT
            and grant.department_id in scope.department_ids
        ):
            return True
        if grant.role == Role.OFFICER and action == Action.EDIT and user.pk in scope.assignee_ids:
            return True
    return False


def visible_unit_filter(user: Any, prefix: str = "") -> Q:
    """A filter on units (or, with prefix "unit__", on anything with a unit) the user may read."""
    if not _active(user):
        return Q(pk__in=[])
    if is_system_admin(user):
        return Q()
    condition = Q(pk__in=[])
    for grant in _grants(user):
        if not grant.unit_id:
            continue
        if grant.role == Role.APPRAISER:
            condition |= Q(**{f"{prefix}province_id": grant.unit_id})
        else:
            condition |= Q(**{f"{prefix}pk": grant.unit_id})
    return condition


def visible_units(user: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(visible_unit_filter(user))


def filter_visible(user: Any, queryset: QuerySet, unit_path: str = "unit") -> QuerySet:
    """Narrow any queryset whose rows belong to a unit through `unit_path`."""
    return queryset.filter(visible_unit_filter(user, prefix=f"{unit_path}__"))


def units_with_role(user: Any, roles: Iterable[str]) -> set[int]:
    roles = set(roles)
    return {g.unit_id for g in _grants(user) if g.role in roles and g.unit_id}


def roles_in(user: Any, unit: Unit) -> list[str]:
    """The user's roles that apply to `unit`, for display."""
    if not _active(user):
        return []
    names = []
    if is_system_admin(user):
        names.append(Role.ADMIN.label)
    for grant in _grants(user):
        if grant.role == Role.APPRAISER and unit.province_id == grant.unit_id:
            names.append(Role.APPRAISER.label)
        elif grant.unit_id == unit.pk and grant.role != Role.ADMIN:
            names.append(Role(grant.role).label)
    return list(dict.fromkeys(str(n) for n in names))


def forget(user: User) -> None:
    """Drop the per-request caches after grants change."""
    for attr in ("_cchc_grants", "_cchc_grant_units"):
        if hasattr(user, attr):
            delattr(user, attr)
