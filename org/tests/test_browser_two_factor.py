"""End to end in headless Chromium, with two-factor sign-in required: a province appraiser of the
demo sets up an authenticator (the code computed here from its key, as the phone app would),
keeps the recovery codes, and later signs in with one of them."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from org import demo
from org.tests.conftest import next_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPRAISER = "sonoivu.haiphong"


@pytest.fixture
def demo_site(live_server, settings):
    settings.CCHC_REQUIRE_2FA = True
    demo.load()
    return live_server.url


def test_a_province_appraiser_sets_up_two_factor_then_signs_in_with_a_recovery_code(
    page, demo_site, login, screenshot
):
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    login(page, demo_site, APPRAISER, wait=False)
    page.wait_for_selector("#two-factor-enrol")
    assert "/accounts/two-factor/set-up/" in page.url
    assert page.locator("#mainnav").count() == 0
    assert page.locator("#two-factor-qr svg").is_visible()
    secret = page.inner_text("#two-factor-secret").replace(" ", "")
    device = TOTPDevice.objects.get(user__username=APPRAISER, confirmed=False)
    assert len(secret) == 32  # the key, to type by hand when the camera cannot scan
    screenshot(page, "two-factor-set-up")
    page.fill("#id_code", next_code(device))
    page.click("#two-factor-enrol button.primary")

    page.wait_for_selector("#recovery-codes")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    with page.expect_download() as download:
        page.click("a[href$='codes.txt']")
    saved = download.value.path().read_text(encoding="utf-8")
    assert all(code in saved for code in codes)
    page.click("#recovery-codes-kept")
    expect(page.locator(".userbox")).to_be_visible()

    # Next time: the password, then a recovery code (no phone at hand).
    login(page, demo_site, APPRAISER, wait=False)
    page.wait_for_selector("#two-factor-verify")
    assert page.locator("#mainnav").count() == 0
    page.fill("#id_code", codes[0])
    page.click("#two-factor-verify button.primary")
    expect(page.locator(".userbox")).to_be_visible()
    page.goto(f"{demo_site}/accounts/security/")
    assert page.inner_text("#recovery-codes-left") == "9"
    assert errors == []  # the inline QR code and the pages pass the Content-Security-Policy
