"""API endpoints for units, departments and people, scoped like the pages."""

import hashlib
import secrets

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from core.api import Id, Level, UnitRowOut
from core.text import fold
from org.access import Action, can, filter_visible, roles_in, visible_units
from org.models import ApiToken, Department, Unit, User

TOKEN_PREFIX = "cchc_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, name: str) -> str:
    """Create a token for another system; only its hash is stored, so it is shown once."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, prefix=token[:8], digest=_digest(token))
    return token


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request, token: str):
        record = (
            ApiToken.objects.select_related("user")
            .filter(digest=_digest(token), revoked=False, user__is_active=True)
            .first()
        )
        if record is None:
            return None
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
        request.user = record.user
        return record.user


class SessionAuth(NinjaSessionAuth):
    """A logged-in browser session (with CSRF protection on writes)."""


router = Router()


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    level: int
    parent_code: str | None = Field(None, alias="parent.code")


class DepartmentOut(UnitRowOut):
    name: str
    short_name: str
    kind: str
    aliases: list[str]
    is_active: bool


class PersonOut(Schema):
    id: int
    username: str
    full_name: str
    position: str
    email: str
    unit_code: str | None = Field(None, alias="unit.code")
    department_id: int | None


class MeOut(PersonOut):
    roles: list[str]


def _visible(request, queryset, not_found: str, **lookup):
    """The object `lookup` finds, if the caller may see it; 404 with `not_found` if not."""
    obj = get_object_or_404(queryset, **lookup)
    if not can(request.user, Action.VIEW, obj):
        raise HttpError(404, not_found)
    return obj


def _visible_unit(request, code: str) -> Unit:
    return _visible(
        request, Unit.objects.select_related("parent"), "Không tìm thấy đơn vị", code=code
    )


@router.get("/me", response=MeOut, tags=["org"], summary="The person calling the API")
def me(request):
    user = request.user
    user.roles = roles_in(user, user.unit) if user.unit else []
    return user


@router.get("/units", response=list[UnitOut], tags=["org"], summary="Units the caller may read")
@paginate
def list_units(request, q: str = "", level: Level = None):
    units = visible_units(request.user).select_related("parent").order_by("level", "name")
    if q:
        units = units.filter(search_text__contains=fold(q))
    if level:
        units = units.filter(level=level)
    return units


@router.get("/units/{code}", response=UnitOut, tags=["org"])
def get_unit(request, code: str):
    return _visible_unit(request, code)


@router.get("/units/{code}/departments", response=list[DepartmentOut], tags=["org"])
def unit_departments(request, code: str):
    unit = _visible_unit(request, code)
    return unit.departments.select_related("unit").order_by("order", "name")


@router.get("/departments/{department_id}", response=DepartmentOut, tags=["org"])
def get_department(request, department_id: Id):
    departments = Department.objects.select_related("unit")
    return _visible(request, departments, "Không tìm thấy phòng ban", pk=department_id)


@router.get("/people", response=list[PersonOut], tags=["org"])
@paginate
def list_people(request, unit: str = "", q: str = ""):
    people = filter_visible(request.user, User.objects.filter(is_active=True)).select_related(
        "unit"
    )
    if unit:
        people = people.filter(unit__code=unit)
    if q:
        people = people.filter(Q(search_text__contains=fold(q)))
    return people.order_by("full_name")


@router.get("/people/{person_id}", response=PersonOut, tags=["org"])
def get_person(request, person_id: Id):
    people = User.objects.select_related("unit")
    return _visible(request, people, "Không tìm thấy người dùng", pk=person_id)
