"""In real Chromium: setting up two-factor login hands out recovery codes that log in once
each, and a forgotten password is reset from the link in an email."""

from __future__ import annotations

import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.browser


def _pending_code(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def _log_in(page, base_url: str, username: str, password: str, code: str = "") -> None:
    page.goto(base_url + "/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Log in").click()


def test_recovery_codes_are_shown_at_set_up_and_each_logs_in_once(
    live_server, open_page, member
):
    moderator = member("moderator")
    TOTPDevice.objects.filter(user=moderator).delete()  # a newcomer without an app yet
    page, seen = open_page()
    _log_in(page, live_server.url, "moderator", "pw-moderator")
    page.goto(live_server.url + "/o/campaign/queue/")
    page.wait_for_url("**/two-factor/?next=*")
    page.get_by_label("6-digit code from your authenticator app").fill(_pending_code(moderator))
    page.get_by_role("button", name="Turn on two-factor login").click()

    codes = page.locator("[data-recovery-codes] code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url("**/o/campaign/queue/")
    page.get_by_role("button", name="Log out").click()

    _log_in(page, live_server.url, "moderator", "pw-moderator", codes[0].upper())
    page.wait_for_url("**/o/campaign/queue/")
    page.get_by_role("button", name="Log out").click()
    _log_in(page, live_server.url, "moderator", "pw-moderator", codes[0])

    assert "That code is not right" in page.locator("[role=alert]").inner_text()
    page.goto(live_server.url + "/two-factor/recovery/")
    assert "/login/" in page.url  # the used code let nobody in
    assert not seen.errors and page.evaluate("window.__violations") == []


def test_a_forgotten_password_is_reset_from_the_emailed_link(
    live_server, open_page, member, mailoutbox
):
    viewer = member("viewer")
    viewer.email = "viewer@example.org"
    viewer.save()
    page, seen = open_page()
    page.goto(live_server.url + "/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("viewer@example.org")
    page.get_by_role("button", name="Email me a link").click()
    page.get_by_role("heading", name="Check your email").wait_for()

    [message] = mailoutbox
    link = re.search(r"http://\S+/password-reset/\S+/", message.body).group(0)
    page.goto(link)
    page.get_by_label("New password", exact=True).fill("a-new-long-passphrase")
    page.get_by_label("New password confirmation").fill("a-new-long-passphrase")
    page.get_by_role("button", name="Set my new password").click()
    page.get_by_role("heading", name="Your password is changed").wait_for()
    page.get_by_role("link", name="Log in").click()
    _log_in(page, live_server.url, "viewer", "a-new-long-passphrase")

    page.wait_for_url("**/o/campaign/queue/")
    assert not seen.errors and page.evaluate("window.__violations") == []
