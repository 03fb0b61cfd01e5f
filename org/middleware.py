"""Puts the unit a person is working on (request.current_unit) on every request, and keeps the
pages closed until a signed-in person has given the second factor they owe."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from org import two_factor
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


# While a signed-in person still owes the second factor, only these pages open.
TWO_FACTOR_OPEN_URLS = frozenset(
    {
        "login",
        "logout",
        "two_factor_verify",
        "two_factor_enrol",
        "set_language",
        "healthz",
    }
)


class TwoFactorMiddleware:
    """After the password, a person with an authenticator is asked for its code, and a person
    who must have one and has none sets one up, before any other page opens."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pending = two_factor.step(request)
        if pending != two_factor.FREE and not self._open(request):
            target = reverse(
                "two_factor_verify" if pending == two_factor.VERIFY else "two_factor_enrol"
            )
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _open(request) -> bool:
        if request.path_info.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.url_name in TWO_FACTOR_OPEN_URLS
