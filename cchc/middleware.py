"""Site-wide middleware: the language (Vietnamese unless the person chose another; the browser's
language is not asked), idle sessions, and no caching of what a signed-in person is sent."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.available:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


SESSION_STARTED = "cchc_signed_in_at"
SESSION_SEEN = "cchc_seen_at"
SEEN_EVERY = 60  # seconds: how often the last-seen time is written, to spare the session table


class SessionTimeoutMiddleware:
    """Ends a signed-in session after SESSION_IDLE_SECONDS without a request, and in any case
    SESSION_COOKIE_AGE after signing in (saving the session would otherwise push that back)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            ended = self._ended(request.session, int(time.time()))
            if ended:
                logout(request)
                messages.info(request, ended)
                if request.headers.get("HX-Request"):
                    # a piece of a page asked for: send the whole page to the login instead
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = redirect_to_login(
                        request.headers.get("HX-Current-URL") or request.get_full_path()
                    )["Location"]
                    return response
        return self.get_response(request)

    @staticmethod
    def _ended(session, now: int) -> str:
        """Why the session is over, or "" (and the request is noted as seen)."""
        started = session.setdefault(SESSION_STARTED, now)
        seen = session.get(SESSION_SEEN, now)
        if now - seen > settings.SESSION_IDLE_SECONDS:
            return _(
                "You were signed out after %(minutes)d minutes without activity; "
                "please sign in again."
            ) % {"minutes": settings.SESSION_IDLE_SECONDS // 60}
        if now - started > settings.SESSION_COOKIE_AGE:
            return _(
                "You were signed out %(hours)d hours after signing in; please sign in again."
            ) % {"hours": settings.SESSION_COOKIE_AGE // 3600}
        if SESSION_SEEN not in session or now - seen >= SEEN_EVERY:
            session[SESSION_SEEN] = now
        return ""


PRIVATE = "private, no-store"


class PrivatePagesMiddleware:
    """Whatever is sent to a signed-in person (pages, exports, stored files) or to another system
    holding an API token is never kept by the browser or a proxy: `Cache-Control: private,
    no-store`. Public pages and static files are left to their own rules."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
        if signed_in or "HTTP_AUTHORIZATION" in request.META:
            current = response.get("Cache-Control", "")
            if "no-store" not in current or "private" not in current:
                response["Cache-Control"] = PRIVATE
        return response
