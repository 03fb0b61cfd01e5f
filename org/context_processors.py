from __future__ import annotations

from org.access import roles_in, visible_units
from org.middleware import get_current_unit


def current_unit(request) -> dict:
    """The unit switcher and the person's roles there, for the base layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unit = get_current_unit(request)
    if unit is None:
        return {"current_unit": None, "switchable_units": [], "my_roles": []}

    def switchable():
        return list(visible_units(user).select_related("parent").order_by("level", "name")[:500])

    return {
        "current_unit": unit,
        "switchable_units": switchable,
        "my_roles": roles_in(user, unit),
    }
