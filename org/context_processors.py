from __future__ import annotations

from org import menu
from org.access import roles_in, visible_units
from org.middleware import get_current_unit

SWITCHER_LIMIT = 30  # more units than this are chosen in the list of units, not in a menu


def current_unit(request) -> dict:
    """The unit switcher and the person's roles there, for the base layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unit = get_current_unit(request)
    if unit is None:
        return {"current_unit": None, "switchable_units": [], "my_roles": []}

    units: list | None = None

    def switchable():
        # A person who follows a province or the country chooses in the searchable list of
        # units instead: a menu of 170 or 3,300 units on every page costs every page.
        nonlocal units
        if units is None:
            found = list(
                visible_units(user)
                .select_related("parent")
                .order_by("level", "name")[: SWITCHER_LIMIT + 1]
            )
            units = found if len(found) <= SWITCHER_LIMIT else []
        return units

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
