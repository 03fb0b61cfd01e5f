"""Two-factor sign-in: a TOTP authenticator app (django-otp's TOTP device) and single-use
recovery codes (its static device).

Who must use it is `org.access.needs_two_factor`, enforced only when the setting
CCHC_REQUIRE_2FA is on. After the password, `step(request)` says what the session still lacks:
VERIFY (the person has an authenticator: ask for a code), ENROL (the person must have one and
has none) or nothing. `org.middleware.TwoFactorMiddleware` keeps every other page closed until
then. The answer is kept in the session, so a page costs no query for people who need nothing.
"""

from __future__ import annotations

import re
from base64 import b32encode
from dataclasses import dataclass

import segno
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from org.access import needs_two_factor
from org.models import User

VERIFY = "verify"
ENROL = "enrol"
FREE = "free"
STEP_KEY = "cchc_2fa_step"
CODES_KEY = "cchc_recovery_codes"  # the codes just made, shown to their owner in this session
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery"
TOTP_CODE = re.compile(r"^\d{6}$")


def required(user: User) -> bool:
    """Must this person have a second factor now?"""
    return bool(settings.CCHC_REQUIRE_2FA) and needs_two_factor(user)


def authenticator(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_on(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def step_for(user: User) -> str:
    if is_on(user):
        return VERIFY
    if required(user):
        return ENROL
    return FREE


def step(request) -> str:
    """What the session still lacks before any page opens: VERIFY, ENROL or FREE."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return FREE
    kept = request.session.get(STEP_KEY)
    if isinstance(kept, list) and len(kept) == 2 and kept[0] == user.pk:
        return kept[1]
    found = step_for(user)
    request.session[STEP_KEY] = [user.pk, found]
    return found


def recheck(request) -> str:
    """Work out the step again (after a device was added or removed)."""
    request.session.pop(STEP_KEY, None)
    return step(request)


# --- enrolment ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    secret: str  # base32, grouped by four, to type by hand
    qr_svg: str  # an inline SVG of the otpauth:// link

    @property
    def config_url(self) -> str:
        return self.device.config_url


def start_enrolment(user: User) -> Enrolment:
    """The unconfirmed authenticator the person is setting up (the same one on every visit,
    until it is confirmed)."""
    device = (
        TOTPDevice.objects.filter(user=user, confirmed=False, name=DEVICE_NAME)
        .order_by("pk")
        .first()
    )
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, dark="#111", light="#fff", svgclass="qr-code", title=_("QR code")
    )
    return Enrolment(device=device, secret=grouped, qr_svg=svg)


def _clean_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


@transaction.atomic
def confirm_enrolment(request, code: str) -> list[str]:
    """Confirm the authenticator being set up with a code it shows; the session counts as
    verified and new recovery codes are made (returned, and kept in the session to be shown)."""
    user = request.user
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False, name=DEVICE_NAME)
        .order_by("pk")
        .first()
    )
    if device is None:
        raise ValidationError(_("Open the set-up page again: no authenticator is being set up."))
    code = _clean_code(code)
    if not TOTP_CODE.match(code):
        raise ValidationError(_("Type the 6 digits your authenticator app shows."))
    if not device.verify_token(code):
        raise ValidationError(
            _("This code is not right. Check the phone's clock and type the newest code.")
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    request.session.cycle_key()
    otp_login(request, device)
    request.session[CODES_KEY] = codes
    recheck(request)
    _record(user, by=user, before=_("off"), after=_("on"))
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < settings.RECOVERY_CODE_COUNT:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=t) for t in codes])
    return codes


@transaction.atomic
def regenerate_recovery_codes(request) -> list[str]:
    """New recovery codes for a verified person; the old ones stop working."""
    user = request.user
    if not (user.is_verified() and is_on(user)):
        raise ValidationError(_("Turn two-factor sign-in on first."))
    codes = _new_recovery_codes(user)
    request.session[CODES_KEY] = codes
    return codes


def fresh_codes(request) -> list[str]:
    """The recovery codes made in this session and not yet put away."""
    codes = request.session.get(CODES_KEY)
    return list(codes) if isinstance(codes, list) else []


def put_codes_away(request) -> None:
    request.session.pop(CODES_KEY, None)


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


# --- signing in ------------------------------------------------------------------------------


def verify(request, code: str) -> bool:
    """Check a code from the authenticator (6 digits) or a recovery code (used up); on success
    the session counts as verified."""
    user = request.user
    device = authenticator(user)
    if device is None:
        return False
    code = _clean_code(code)
    if TOTP_CODE.match(code):
        candidates = [device]
    else:
        candidates = list(StaticDevice.objects.filter(user=user, confirmed=True))
    for candidate in candidates:
        allowed, _details = candidate.verify_is_allowed()
        if not allowed:
            raise ValidationError(
                _("Too many wrong codes. Wait a minute, then type the newest code.")
            )
        with transaction.atomic():
            locked = type(candidate).objects.select_for_update().get(pk=candidate.pk)
            if locked.verify_token(code):
                request.session.cycle_key()
                otp_login(request, locked)
                request.session.pop(STEP_KEY, None)
                return True
    return False


# --- turning it off --------------------------------------------------------------------------


def _remove_devices(user: User) -> bool:
    had = is_on(user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return had


@transaction.atomic
def remove(request, password: str) -> None:
    """The person turns two-factor sign-in off, confirming with their password. Someone who
    must have it is sent to set up a new authenticator at once."""
    user = request.user
    if not user.check_password(password or ""):
        raise ValidationError(_("The password is not right."))
    if _remove_devices(user):
        _record(user, by=user, before=_("on"), after=_("off"))
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    user.otp_device = None
    put_codes_away(request)
    recheck(request)


@transaction.atomic
def reset(person: User, *, by: User) -> bool:
    """An administrator removes a person's authenticator and recovery codes (a lost phone): at
    the next page the person is asked to set up a new one, if they must have one. Whether the
    person may be reset by `by` is asked of org.access by the view."""
    if person.pk == by.pk:
        raise ValidationError(_("Turn your own two-factor sign-in off from your account page."))
    had = _remove_devices(person)
    if had:
        _record(person, by=by, before=_("on"), after=_("reset by the administrator"))
    return had


def _record(user: User, *, by: User, before: str, after: str) -> None:
    LogEntry.objects.log_create(
        user,
        action=LogEntry.Action.UPDATE,
        changes={_("two-factor sign-in"): [before, after]},
        actor=by,
        force_log=True,
    )
