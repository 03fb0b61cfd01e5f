"""What every app's views do first: find the object asked for, and hide it from who may not see it.

An object the person may not see is "not found" (404), never "forbidden", so that ids of other
units reveal nothing; an object they may see but not change is refused (403).
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.views import deny
from org.access import Action, Scoped, can, filter_visible
from org.middleware import get_current_unit
from org.models import Unit

M = TypeVar("M", bound=Model)


def visible_or_404(
    request, source: type[M] | QuerySet[M], pk: int, action: Action = Action.VIEW
) -> M:
    """The object `pk` of `source` if the person may see it (404 if not), and may do `action`
    on it (403 if not)."""
    obj = get_object_or_404(source, pk=pk)
    check_visible(request, obj, action)
    return obj


def visible_rows(
    request, rows: QuerySet[M], *order: str, unit_path: str = "unit", **filters: object
) -> QuerySet[M]:
    """The rows the person may see, narrowed by each filter given a value (an empty one, as an
    API's query parameter left out, narrows nothing), in `order`."""
    given = {field: value for field, value in filters.items() if value not in (None, "")}
    visible = filter_visible(request.user, rows, unit_path=unit_path)
    return visible.filter(**given).order_by(*order)


def check_visible(request, obj: Scoped, action: Action = Action.VIEW) -> None:
    if not can(request.user, Action.VIEW, obj):
        raise Http404
    if action != Action.VIEW and not can(request.user, action, obj):
        raise deny()


def current_unit_or_404(request, action: Action = Action.VIEW) -> Unit:
    """The unit chosen in the switcher; none (a person with no unit) is "not found". With an
    `action` other than viewing, the person must be allowed to do it on the unit (403 if not)."""
    unit = get_current_unit(request)
    if unit is None:
        raise Http404
    if action != Action.VIEW and not can(request.user, action, unit):
        raise deny()
    return unit
