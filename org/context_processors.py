from __future__ import annotations

from org import menu
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


def main_menu(request) -> dict:
    """The main menu of the base layout, built when the layout shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def build():
        match = getattr(request, "resolver_match", None)
        return menu.main_menu(user, get_current_unit(request), match and match.url_name)

    return {"main_menu": build}
