"""Logging in: passwords hashed with argon2, a TOTP code where one is set up, throttling of
guessers, and setting up the second factor."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth.hashers import make_password
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tropewatch.accounts import recovery
from tropewatch.accounts.two_factor import readable_secret


def _code(device: TOTPDevice, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def _login(client, username: str, password: str, code: str = ""):
    return client.post("/login/", {"username": username, "password": password, "code": code})


def test_new_passwords_are_hashed_with_argon2(settings):
    from tropewatch.web import settings as project

    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS  # not the tests' fast one

    assert make_password("correct horse").startswith("argon2$")


def test_login_with_password_and_current_code(client, members):
    device = TOTPDevice.objects.get(user=members["moderator"])

    response = _login(client, "moderator", "pw-moderator", _code(device))

    assert response.status_code == 302
    assert client.get("/o/campaign/queue/").status_code == 200  # verified: no detour


def test_wrong_codes_slow_down_further_tries(client, members):
    client.force_login(members["admin"])
    device = TOTPDevice.objects.get(user=members["admin"])
    client.post("/two-factor/", {"code": "000000" if _code(device) != "000000" else "111111"})

    retry = client.post("/two-factor/", {"code": _code(device)})

    assert "after a wrong code" in retry.content.decode()


def test_a_missing_or_wrong_code_refuses_the_login(client, members):
    device = TOTPDevice.objects.get(user=members["moderator"])
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"

    for code, said in (("", "6-digit code"), (wrong, "That code is not right")):
        response = _login(client, "moderator", "pw-moderator", code)
        assert response.status_code == 200
        assert said in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_role_without_personal_data_logs_in_with_a_password(client, members):
    response = _login(client, "viewer", "pw-viewer")

    assert response.status_code == 302
    assert client.get("/o/campaign/queue/").status_code == 200


def test_repeated_failures_lock_the_username_out_even_with_the_right_password(
    client, members, settings
):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "viewer", "wrong")

    response = _login(client, "viewer", "pw-viewer")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_wrong_codes_count_towards_the_lockout(client, members, settings):
    device = TOTPDevice.objects.get(user=members["lead"])
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "lead", "pw-lead", "000000" if _code(device) != "000000" else "111111")

    assert _login(client, "lead", "pw-lead", _code(device)).status_code == 429


def test_a_moderator_without_a_device_sets_one_up_before_seeing_anything(client, members,
                                                                         settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows retries after a wrong code
    TOTPDevice.objects.filter(user=members["moderator"]).delete()
    assert _login(client, "moderator", "pw-moderator").status_code == 302

    detour = client.get("/o/campaign/queue/")
    setup = client.get(detour["Location"])
    device = TOTPDevice.objects.get(user=members["moderator"], confirmed=False)
    shown = setup.content.decode()

    assert detour["Location"] == "/two-factor/?next=%2Fo%2Fcampaign%2Fqueue%2F"
    assert readable_secret(device) in shown
    assert client.get("/two-factor/qr.svg")["Content-Type"] == "image/svg+xml"
    wrong = client.post(detour["Location"], {"code": "12345"})
    assert "not right" in wrong.content.decode()
    done = client.post(detour["Location"], {"code": _code(device)}).content.decode()
    # The first recovery codes, shown this once, and the way on to where the moderator went.
    assert len(re.findall(r"<li><code>[a-z2-7]{8}</code></li>", done)) == 10
    assert 'href="/o/campaign/queue/"' in done
    assert recovery.remaining(members["moderator"]) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/o/campaign/queue/").status_code == 200


def test_a_session_without_the_second_factor_enters_the_code(client, members):
    client.force_login(members["admin"])
    device = TOTPDevice.objects.get(user=members["admin"])

    page = client.get("/two-factor/")
    done = client.post("/two-factor/?next=/o/campaign/audit/", {"code": _code(device)})

    assert "Enter your two-factor code" in page.content.decode()
    assert done["Location"] == "/o/campaign/audit/"


def test_login_never_redirects_to_another_site(client, members):
    response = client.post("/login/?next=https://evil.example/", {
        "username": "viewer", "password": "pw-viewer"})

    assert response["Location"] == "/"


@pytest.mark.parametrize("path", ["/login/", "/two-factor/qr.svg"])
def test_secret_pages_are_not_cached(client, members, path):
    client.force_login(members["viewer"])

    assert "no-store" in client.get(path).get("Cache-Control", "")


def _wrong(device: TOTPDevice) -> str:
    return f"{(int(_code(device)) + 1) % 1_000_000:06d}"


def test_after_one_wrong_code_the_right_one_is_refused_saying_how_long_to_wait(client, members):
    client.force_login(members["admin"])
    device = TOTPDevice.objects.get(user=members["admin"])
    wrong = client.post("/two-factor/", {"code": _wrong(device)}).content.decode()

    retry = client.post("/two-factor/", {"code": _code(device)}).content.decode()

    assert "That code is not right. Wait 1 second before the next try" in wrong
    assert "Locked for 1 second after a wrong code" in retry
    assert not client.session.get("otp_device_id")


def test_the_login_page_says_how_long_a_locked_second_factor_waits(client, members):
    device = TOTPDevice.objects.get(user=members["moderator"])
    device.throttle_increment()
    device.throttle_increment()  # a 2-second wait from now

    response = _login(client, "moderator", "pw-moderator", _code(device))

    assert "Locked for 2 seconds after a wrong code" in response.content.decode()
    assert "_auth_user_id" not in client.session
