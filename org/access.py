"""Who may do what, decided here and only here.

Every page, API endpoint and service asks `can(user, action, obj)` or narrows a query with
`visible_units(user)` / `filter_visible(...)`. An object takes part by offering
`access_scope()`, which names the unit it belongs to and, where it applies, the departments
responsible for it and the people assigned to it.

The rules, by role (a person may hold several roles, in several units):
- system administrator: everything, everywhere;
- province appraiser: reads the province and every unit under it; appraises commune-level units;
  issues the province's PAR-index frameworks and runs their periods (`Action.ISSUE` on what
  belongs to the province unit itself: a framework, its criteria, its periods). Never MANAGE on
  the province: its directory and people stay with the system administrator;
- commune leadership: reads everything of its unit and approves it;
- CCHC focal officer: reads and edits the CCHC work of its unit and manages its directory;
- department head: reads its unit; edits the work of its department;
- officer: reads its unit; edits the work assigned to it;
- ministry (Bộ Nội vụ), granted for no unit: reads every province and every unit under it,
  and nothing more: it never edits, approves, appraises, manages or issues anything.
No role granted in a unit gives ISSUE: a focal officer or leadership of the province unit runs
the province's own work, not the frameworks its communes are assessed by.
A person of one commune never reads another commune's data, nor the province's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet

from core.scoping import Scope, Scoped
from org.models import Department, Role, RoleGrant, Unit, UnitLevel, User
from org.scope import Action

__all__ = ["Action", "Scope", "Scoped", "can"]


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


def is_ministry(user: Any) -> bool:
    """Does this person read the whole country for the Ministry of Home Affairs?"""
    return _active(user) and any(g.role == Role.MINISTRY for g in _grants(user))


def may_comment(user: Any, obj: Scoped | Scope) -> bool:
    """May this person comment on `obj`? Whoever reads it, but the ministry, which only reads."""
    if is_ministry(user) and not is_system_admin(user):
        return False
    return can(user, Action.VIEW, obj)


def reads_whole_country(user: Any) -> bool:
    """May this person open the pages about every province (the ministry's ranking)?"""
    return is_system_admin(user) or is_ministry(user)


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
    if action == Action.VIEW and is_ministry(user):
        return True
    if action == Action.INSPECT:
        return user.pk in scope.team_ids
    if action == Action.ANSWER:
        return user.pk in scope.assignee_ids or bool(
            headed_departments(user) & scope.department_ids
        )
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
            if action == Action.ISSUE and target_level == UnitLevel.PROVINCE:
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
    if is_system_admin(user) or is_ministry(user):
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
    if is_ministry(user):
        names.append(Role.MINISTRY.label)
    for grant in _grants(user):
        if grant.role == Role.APPRAISER and unit.province_id == grant.unit_id:
            names.append(Role.APPRAISER.label)
        elif grant.unit_id == unit.pk and grant.role not in (Role.ADMIN, Role.MINISTRY):
            names.append(Role(grant.role).label)
    return list(dict.fromkeys(str(n) for n in names))


def _grant_levels(user: Any) -> dict[int, int]:
    """The level of every unit the user holds a role in, read once per request."""
    cached = getattr(user, "_cchc_grant_levels", None)
    if cached is None:
        ids = {g.unit_id for g in _grants(user) if g.unit_id}
        cached = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "level")) if ids else {}
        user._cchc_grant_levels = cached
    return cached


def follows_communes(user: Any, unit: Unit | None = None) -> bool:
    """Does this person follow communes from above (a province appraiser, or a role in a
    province- or district-level unit) rather than work in one? Someone who does both is taken
    as working in the commune when `unit`, the unit being worked on, is one of theirs."""
    if not _active(user):
        return False
    if is_ministry(user):
        return True
    levels = _grant_levels(user)
    above, inside = set(), set()
    for grant in _grants(user):
        if not grant.unit_id or grant.role == Role.ADMIN:
            continue
        if (
            grant.role == Role.APPRAISER
            or levels.get(grant.unit_id, UnitLevel.COMMUNE) < UnitLevel.COMMUNE
        ):
            above.add(grant.unit_id)
        else:
            inside.add(grant.unit_id)
    if not above:
        return False
    return not (inside and unit is not None and unit.pk in inside)


def needs_two_factor(user: Any) -> bool:
    """Must this person sign in with a second factor (when the site requires it, setting
    CCHC_REQUIRE_2FA)? System administrators, whoever opens the administration site, province
    appraisers and anyone holding a role in a province-level unit: the accounts that reach many
    communes' data. Everyone else may choose it."""
    if not _active(user):
        return False
    if is_system_admin(user) or user.is_staff or is_ministry(user):
        return True
    levels = _grant_levels(user)
    return any(
        grant.role == Role.APPRAISER
        or (grant.unit_id and levels.get(grant.unit_id) == UnitLevel.PROVINCE)
        for grant in _grants(user)
    )


def granted_units(user: Any) -> set[int]:
    """Every unit in which the user holds a role."""
    return {g.unit_id for g in _grants(user) if g.unit_id}


def sees_ranking(user: Any, province: Unit, ranked: QuerySet) -> bool:
    """May this person open a province's ranking? Whoever reads the province, and a person of a
    commune ranked in it (`ranked`: the ranked units' ids), who sees where it stands."""
    if can(user, Action.VIEW, province):
        return True
    own = granted_units(user)
    return bool(own) and ranked.filter(unit_id__in=own).exists()


def followed_provinces(user: Any) -> QuerySet[Unit]:
    """The provinces whose frameworks and periods the person reads: every province for the
    administrator, otherwise the province of each unit in which they hold a role."""
    if not _active(user):
        return Unit.objects.none().values_list("pk", flat=True)
    provinces = Unit.objects.filter(province_id=F("pk"))
    if is_system_admin(user):
        return provinces.values_list("pk", flat=True)
    return Unit.objects.filter(pk__in=granted_units(user)).values_list("province_id", flat=True)


def headed_departments(user: Any, unit: Unit | int | None = None) -> set[int]:
    """The departments this person heads (in `unit`, when given)."""
    if not _active(user):
        return set()
    unit_id = unit.pk if isinstance(unit, Unit) else unit
    return {
        g.department_id
        for g in _grants(user)
        if g.role == Role.DEPARTMENT_HEAD
        and g.department_id
        and (unit_id is None or g.unit_id == unit_id)
    }


def holders(
    role: Role | str,
    *,
    units: Iterable[int] | None = None,
    departments: Iterable[int] | None = None,
) -> dict[int, set[int]]:
    """Who holds `role`, as {unit id or department id: active user ids}: keyed by department when
    `departments` is given (department heads), else by unit."""
    grants = RoleGrant.objects.filter(role=role, user__is_active=True)
    if departments is not None:
        key = "department_id"
        grants = grants.filter(department_id__in=list(departments))
    else:
        key = "unit_id"
        if units is not None:
            grants = grants.filter(unit_id__in=list(units))
    found: dict[int, set[int]] = defaultdict(set)
    for owner, user_id in grants.values_list(key, "user_id"):
        found[owner].add(user_id)
    return found


def holder_ids(role: Role | str, unit: Unit | int | None) -> frozenset[int]:
    """The ids of the active people holding `role` in one unit."""
    unit_id = unit.pk if isinstance(unit, Unit) else unit
    if unit_id is None:
        return frozenset()
    return frozenset(holders(role, units=[unit_id]).get(unit_id, set()))


def holders_of(role: Role | str, unit: Unit | int) -> list[User]:
    """The active people holding `role` in one unit, by name."""
    unit_id = unit.pk if isinstance(unit, Unit) else unit
    return list(
        User.objects.filter(is_active=True, grants__role=role, grants__unit_id=unit_id)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def focal_department(unit: Unit | int) -> Department | None:
    """The department the unit's CCHC focal officer works in (which consolidates the work every
    department shares); else the unit's first active department."""
    unit_id = unit.pk if isinstance(unit, Unit) else unit
    department_id = (
        RoleGrant.objects.filter(
            role=Role.FOCAL, unit_id=unit_id, user__is_active=True, department__is_active=True
        )
        .order_by("pk")
        .values_list("department_id", flat=True)
        .first()
    )
    departments = Department.objects.filter(unit_id=unit_id, is_active=True)
    if department_id:
        return departments.get(pk=department_id)
    return departments.order_by("order", "name").first()


def department_heads(department: Department | int) -> set[int]:
    department_id = department.pk if isinstance(department, Department) else department
    return holders(Role.DEPARTMENT_HEAD, departments=[department_id]).get(department_id, set())


def forget(user: User) -> None:
    """Drop the per-request caches after grants change."""
    for attr in ("_cchc_grants", "_cchc_grant_units", "_cchc_grant_levels"):
        if hasattr(user, attr):
            delattr(user, attr)
