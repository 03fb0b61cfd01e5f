"""Two-factor sign-in: who must use it, setting it up, the code after the password, recovery
codes, turning it off, and an administrator's reset. Codes are computed here from the device's
key with django-otp's own TOTP helper, as an authenticator app would."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from org.access import needs_two_factor
from org.models import Role, User
from org.tests.conftest import next_code
from org.tests.factories import UserFactory, person_with_role

PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture
def required(settings):
    settings.CCHC_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    return settings


def sign_in(client, user: User, password: str = PASSWORD):
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def wrong_code(device: TOTPDevice) -> str:
    right = next_code(device)
    return f"{(int(right) + 1) % 1_000_000:06d}"


def enrol(client, user: User) -> tuple[TOTPDevice, list[str]]:
    """Set an authenticator up through the pages; its device and the recovery codes shown."""
    client.get(reverse("two_factor_enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("two_factor_enrol"), {"code": next_code(device)})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_codes"))
    codes = client.session["cchc_recovery_codes"]
    client.post(reverse("two_factor_codes"))
    return TOTPDevice.objects.get(pk=device.pk), codes


def enrolled_and_back(client, user: User) -> tuple[TOTPDevice, list[str]]:
    """`user` signs in, sets an authenticator up, signs out and signs in again with the password:
    the code is asked next. The device and the recovery codes shown."""
    sign_in(client, user)
    enrolled = enrol(client, user)
    client.post(reverse("logout"))
    sign_in(client, user)
    return enrolled


# --- who must ----------------------------------------------------------------------------------


def test_who_must_use_two_factor_sign_in(world):
    people = world.people
    assert needs_two_factor(people[Role.ADMIN])
    assert needs_two_factor(people[Role.APPRAISER])
    for role in (Role.LEADER, Role.FOCAL, Role.DEPARTMENT_HEAD, Role.OFFICER):
        assert not needs_two_factor(people[role]), role
    # Any role in a province-level unit (Hải Phòng is a centrally-run city).
    province_focal = person_with_role(Role.FOCAL, world.haiphong, username="hp_focal")
    assert needs_two_factor(province_focal)
    assert needs_two_factor(UserFactory(username="root", is_superuser=True))
    assert needs_two_factor(UserFactory(username="staff", is_staff=True))
    assert not needs_two_factor(AnonymousUser())
    inactive = person_with_role(Role.APPRAISER, world.haiphong, username="gone", is_active=False)
    assert not needs_two_factor(inactive)


def test_with_the_requirement_off_a_province_account_signs_in_with_its_password(client, world):
    sign_in(client, world.people[Role.APPRAISER])
    assert client.get(reverse("home")).status_code == 200
    assert not TOTPDevice.objects.exists()


# --- setting it up -----------------------------------------------------------------------------


def test_a_province_account_must_set_it_up_before_any_page_opens(client, world, required):
    appraiser = world.people[Role.APPRAISER]
    sign_in(client, appraiser)
    for name in ("home", "unit_list", "person_list", "account_security", "admin:index"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("two_factor_enrol")), name
    assert client.get("/api/units")["Location"].startswith(reverse("two_factor_enrol"))
    # What stays open: the set-up page itself, logging out, the language, the health check.
    page = client.get(reverse("two_factor_enrol"), {"next": "/units/"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="mainnav"' not in html  # no menu to pages that would not open
    device = TOTPDevice.objects.get(user=appraiser, confirmed=False)
    assert "<svg" in html and 'class="qr-code"' in html
    assert html.count("<path") >= 1
    assert client.get(reverse("healthz")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "vi"}).status_code == 302
    # The same key on every visit until it is confirmed.
    client.get(reverse("two_factor_enrol"))
    assert TOTPDevice.objects.filter(user=appraiser).count() == 1
    # A wrong code is refused; nothing is confirmed.
    wrong = wrong_code(device)
    refused = client.post(reverse("two_factor_enrol") + "?next=/units/", {"code": wrong})
    assert refused.status_code == 200 and "field-error" in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=appraiser, confirmed=True).exists()
    assert client.get(reverse("home")).status_code == 302
    # The code the app shows confirms it; ten recovery codes are shown once.
    done = client.post(reverse("two_factor_enrol") + "?next=/units/", {"code": next_code(device)})
    assert done.status_code == 302
    assert done["Location"] == reverse("two_factor_codes") + "?next=%2Funits%2F"
    codes = client.session["cchc_recovery_codes"]
    assert len(codes) == len(set(codes)) == 10
    assert StaticToken.objects.filter(device__user=appraiser).count() == 10
    shown = client.get(done["Location"]).content.decode()
    assert all(f"{c[:4]}-{c[4:]}" in shown for c in codes)
    text = client.get(reverse("two_factor_codes_txt"))
    assert text["Content-Disposition"].startswith("attachment;")
    assert all(f"{c[:4]}-{c[4:]}".encode() in text.content for c in codes)
    kept = client.post(reverse("two_factor_codes"), {"next": "/units/"})
    assert kept["Location"] == "/units/"
    # Put away: never shown again.
    assert client.get(reverse("two_factor_codes"))["Location"] == reverse("account_security")
    assert client.get(reverse("two_factor_codes_txt")).status_code == 404
    assert client.get(reverse("unit_list")).status_code == 200
    entry = LogEntry.objects.get_for_object(appraiser).latest("timestamp")
    assert entry.actor == appraiser and len(entry.changes_dict) == 1


def test_a_commune_officer_may_turn_it_on_and_is_then_asked_for_the_code(client, world, required):
    officer = world.people[Role.OFFICER]
    sign_in(client, officer)
    assert client.get(reverse("home")).status_code == 200  # not required of a commune officer
    page = client.get(reverse("account_security")).content.decode()
    assert 'data-on="0"' in page and 'id="two-factor-turn-on"' in page
    device, _codes = enrol(client, officer)
    assert device.confirmed
    page = client.get(reverse("account_security")).content.decode()
    assert 'data-on="1"' in page and '<dd id="recovery-codes-left">10</dd>' in page
    client.post(reverse("logout"))
    sign_in(client, officer)
    home = client.get(reverse("home"))
    assert home["Location"] == reverse("two_factor_verify") + "?next=%2F"


def test_someone_who_has_turned_it_on_is_asked_even_with_the_requirement_off(client, world):
    officer = world.people[Role.OFFICER]
    device = TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=True)
    sign_in(client, officer)
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))
    response = client.post(reverse("two_factor_verify"), {"code": next_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


# --- the code after the password ---------------------------------------------------------------


def test_the_code_is_asked_after_the_password_and_a_wrong_one_is_refused(client, world, required):
    appraiser = world.people[Role.APPRAISER]
    device, _codes = enrolled_and_back(client, appraiser)
    first = client.get(reverse("unit_list"))
    assert first["Location"] == reverse("two_factor_verify") + "?next=%2Funits%2F"
    assert client.post(reverse("person_list")).status_code == 302  # a POST is stopped too
    htmx = client.get(reverse("unit_list"), HTTP_HX_REQUEST="true")
    assert htmx.status_code == 204 and htmx["HX-Redirect"].startswith(reverse("two_factor_verify"))
    page = client.get(first["Location"]).content.decode()
    assert 'id="two-factor-verify"' in page and 'id="mainnav"' not in page
    wrong = client.post(reverse("two_factor_verify"), {"code": wrong_code(device)})
    assert wrong.status_code == 200 and "field-error" in wrong.content.decode()
    assert client.get(reverse("unit_list")).status_code == 302
    ok = client.post(reverse("two_factor_verify"), {"code": next_code(device), "next": "/units/"})
    assert ok["Location"] == "/units/"
    assert client.get(reverse("unit_list")).status_code == 200
    # An outside address in "next" is not followed.
    client.post(reverse("logout"))
    sign_in(client, appraiser)
    outside = client.post(
        reverse("two_factor_verify"), {"code": next_code(device), "next": "https://evil.example/"}
    )
    assert outside["Location"] == reverse("start")


def test_a_code_already_used_is_refused(client, world, required):
    appraiser = world.people[Role.APPRAISER]
    device, _codes = enrolled_and_back(client, appraiser)
    device.refresh_from_db()
    used = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    used.drift, used.time = 0, device.t0 + device.last_t * device.step  # the step just used
    again = client.post(reverse("two_factor_verify"), {"code": f"{used.token():06d}"})
    assert again.status_code == 200
    assert client.get(reverse("home")).status_code == 302


def test_a_recovery_code_signs_in_once(client, world, required):
    appraiser = world.people[Role.APPRAISER]
    _device, codes = enrolled_and_back(client, appraiser)
    spaced = f"{codes[0][:4].upper()} {codes[0][4:].upper()}"  # as a person might type it
    assert client.post(reverse("two_factor_verify"), {"code": spaced}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert StaticToken.objects.filter(device__user=appraiser).count() == 9
    page = client.get(reverse("account_security")).content.decode()
    assert '<dd id="recovery-codes-left">9</dd>' in page
    client.post(reverse("logout"))
    sign_in(client, appraiser)
    reused = client.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert reused.status_code == 200
    assert client.get(reverse("home")).status_code == 302
    assert client.post(reverse("two_factor_verify"), {"code": codes[1]}).status_code == 302


def test_too_many_wrong_codes_make_the_person_wait(client, world, required):
    required.OTP_TOTP_THROTTLE_FACTOR = 60
    officer = world.people[Role.OFFICER]
    device = TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=True)
    sign_in(client, officer)
    client.post(reverse("two_factor_verify"), {"code": wrong_code(device)})
    waiting = client.post(reverse("two_factor_verify"), {"code": next_code(device)})
    assert waiting.status_code == 200
    assert client.get(reverse("home")).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


# --- recovery codes, turning it off ------------------------------------------------------------


def test_new_recovery_codes_cancel_the_old_ones(client, world, required):
    appraiser = world.people[Role.APPRAISER]
    sign_in(client, appraiser)
    _device, old = enrol(client, appraiser)
    response = client.post(reverse("two_factor_new_codes"))
    assert response["Location"] == reverse("two_factor_codes")
    new = client.session["cchc_recovery_codes"]
    assert len(new) == 10 and not set(new) & set(old)
    stored = set(StaticToken.objects.filter(device__user=appraiser).values_list("token", flat=True))
    assert stored == set(new)
    assert client.get(reverse("two_factor_new_codes")).status_code == 405


def test_turning_it_off_asks_for_the_password(client, world, required):
    officer = world.people[Role.OFFICER]
    sign_in(client, officer)
    enrol(client, officer)
    refused = client.post(reverse("two_factor_remove"), {"password": "not-my-password"})
    assert refused.status_code == 400 and "field-error" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=officer).exists()
    done = client.post(reverse("two_factor_remove"), {"password": PASSWORD})
    assert done["Location"] == reverse("account_security")
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()
    assert client.get(reverse("home")).status_code == 200  # optional for an officer
    client.post(reverse("logout"))
    sign_in(client, officer)
    assert client.get(reverse("home")).status_code == 200  # no code asked any more


def test_a_person_who_must_have_it_sets_up_a_new_one_after_turning_it_off(client, world, required):
    appraiser = world.people[Role.APPRAISER]
    sign_in(client, appraiser)
    enrol(client, appraiser)
    client.post(reverse("two_factor_remove"), {"password": PASSWORD})
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_enrol"))


# --- an administrator's reset ------------------------------------------------------------------


def test_the_focal_officer_resets_a_colleagues_lost_phone(client, world, required):
    officer, focal = world.people[Role.OFFICER], world.people[Role.FOCAL]
    device = TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=True)
    StaticDevice.objects.create(user=officer, name="recovery", confirmed=True)
    url = reverse("person_reset_two_factor", args=[officer.pk])
    # The officer's own signed-in, verified session.
    own = type(client)()
    sign_in(own, officer)
    own.post(reverse("two_factor_verify"), {"code": next_code(device)})
    assert own.get(reverse("home")).status_code == 200

    client.force_login(focal)
    page = client.get(reverse("person_detail", args=[officer.pk])).content.decode()
    assert 'id="person-reset-two-factor"' in page and f'action="{url}"' in page
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response["Location"] == reverse("person_detail", args=[officer.pk])
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()
    entry = LogEntry.objects.get_for_object(officer).latest("timestamp")
    assert entry.actor == focal
    page = client.get(reverse("person_detail", args=[officer.pk])).content.decode()
    assert 'id="person-reset-two-factor"' not in page
    # The officer's session no longer counts as verified; an officer need not set it up again.
    assert own.get(reverse("home")).status_code == 200
    assert not TOTPDevice.objects.filter(user=officer).exists()


def test_a_reset_province_account_sets_up_a_new_authenticator_at_once(client, world, required):
    appraiser, admin = world.people[Role.APPRAISER], world.people[Role.ADMIN]
    sign_in(client, appraiser)
    enrol(client, appraiser)
    assert client.get(reverse("home")).status_code == 200
    admin_client = type(client)()
    admin_client.force_login(admin)
    TOTPDevice.objects.create(user=admin, name="authenticator", confirmed=True)
    # The administrator has a device too but has not given its code: the reset does not open.
    response = admin_client.post(reverse("person_reset_two_factor", args=[appraiser.pk]))
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert TOTPDevice.objects.filter(user=appraiser).exists()
    admin_client.post(
        reverse("two_factor_verify"),
        {"code": next_code(TOTPDevice.objects.get(user=admin))},
    )
    admin_client.post(reverse("person_reset_two_factor", args=[appraiser.pk]))
    assert not TOTPDevice.objects.filter(user=appraiser).exists()
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_enrol"))


def test_who_may_reset(client, world):
    officer = world.people[Role.OFFICER]
    TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=True)
    url = reverse("person_reset_two_factor", args=[officer.pk])
    cases = [
        (world.people["other_focal"], 404),  # another commune: cannot see the person
        (world.people[Role.DEPARTMENT_HEAD], 403),  # sees the person, does not manage
        (world.people[Role.LEADER], 403),
        (world.people[Role.APPRAISER], 403),  # reads the province's communes, manages nobody
    ]
    for user, status in cases:
        client.force_login(user)
        assert client.post(url).status_code == status, user.username
        page = client.get(reverse("person_detail", args=[officer.pk]))
        assert 'id="person-reset-two-factor"' not in page.content.decode()
    assert TOTPDevice.objects.filter(user=officer).exists()


def test_nobody_resets_their_own_through_the_button(client, world):
    focal = world.people[Role.FOCAL]
    device = TOTPDevice.objects.create(user=focal, name="authenticator", confirmed=True)
    client.force_login(focal)
    client.post(reverse("two_factor_verify"), {"code": next_code(device)})
    page = client.get(reverse("person_detail", args=[focal.pk])).content.decode()
    assert 'id="person-two-factor"' in page and 'id="person-reset-two-factor"' not in page
    own = client.post(reverse("person_reset_two_factor", args=[focal.pk]))
    assert own["Location"] == reverse("person_detail", args=[focal.pk])
    assert TOTPDevice.objects.filter(user=focal).exists()  # their page asks for the password
