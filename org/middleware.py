"""Puts the unit a person is working on (request.current_unit) on every request."""

from __future__ import annotations

from org.access import visible_units
from org.models import Unit, UnitLevel

SESSION_KEY = "current_unit_id"


def resolve_current_unit(request) -> Unit | None:
    user = request.user
    if not user.is_authenticated:
        return None
    units = visible_units(user)
    chosen = request.session.get(SESSION_KEY)
    if chosen:
        unit = units.filter(pk=chosen).first()
        if unit is not None:
            return unit
    if user.unit_id:
        unit = units.filter(pk=user.unit_id).first()
        if unit is not None:
            return unit
    # Someone of no unit (an administrator) starts on the first commune in the order of unit
    # codes, the order of the official lists.
    return units.filter(level=UnitLevel.COMMUNE).order_by("code").first() or units.first()


_UNSET = object()


def get_current_unit(request) -> Unit | None:
    """The unit chosen in the switcher, worked out once per request."""
    cached = getattr(request, "_current_unit", _UNSET)
    if cached is _UNSET:
        cached = resolve_current_unit(request)
        request._current_unit = cached
    return cached


def set_current_unit(request, unit: Unit) -> None:
    request.session[SESSION_KEY] = unit.pk
    request._current_unit = unit
