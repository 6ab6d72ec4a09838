"""Recovery codes: each accepted once in place of the app's code, and new ones on request
(which retire the old). The first ten, shown when two-factor login is set up: test_accounts."""

from __future__ import annotations

import re

from django_otp.plugins.otp_totp.models import TOTPDevice

from service.conftest import verified_client
from tropewatch.accounts import recovery


def _codes(page: str) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)


def test_a_recovery_code_logs_in_once_at_the_second_factor_step(client, members):
    user = members["moderator"]
    codes = recovery.regenerate(user)
    client.force_login(user)

    first = client.post("/two-factor/", {"code": codes[0].upper(), "recovery": "1",
                                         "next": "/o/campaign/queue/"})
    client.logout()
    client.force_login(user)
    again = client.post("/two-factor/", {"code": codes[0], "recovery": "1"})

    assert first.status_code == 302 and first["Location"] == "/o/campaign/queue/"
    assert "That code is not right" in again.content.decode()
    assert recovery.remaining(user) == 9


def test_a_recovery_code_logs_in_on_the_login_page(client, members):
    codes = recovery.regenerate(members["lead"])

    response = client.post("/login/", {"username": "lead", "password": "pw-lead",
                                       "code": codes[3]})

    assert response.status_code == 302
    assert client.get("/o/campaign/queue/").status_code == 200


def test_a_wrong_recovery_code_does_not_slow_down_the_app(client, members):
    user = members["moderator"]
    recovery.regenerate(user)
    client.force_login(user)

    client.post("/two-factor/", {"code": "aaaaaaaa", "recovery": "1"})

    assert TOTPDevice.objects.get(user=user).verify_is_allowed()[0]


def test_new_codes_retire_the_old_ones_and_need_a_verified_session(client, members):
    user = members["admin"]
    old = recovery.regenerate(user)
    client.force_login(user)  # password only
    refused = client.post("/two-factor/recovery/")

    page = verified_client(user).post("/two-factor/recovery/").content.decode()

    assert refused.status_code == 302 and refused["Location"].startswith("/two-factor/")
    new = _codes(page)
    assert len(new) == 10 and len(set(new)) == 10 and not set(new) & set(old)
    assert recovery.remaining(user) == 10
    assert recovery.device(user).verify_token(old[0]) is False


def test_the_recovery_page_counts_the_codes_left_without_showing_them(members):
    user = members["admin"]
    codes = recovery.regenerate(user)
    recovery.device(user).verify_token(codes[0])

    page = verified_client(user).get("/two-factor/recovery/").content.decode()

    assert 'data-recovery-remaining>9<' in page
    assert not any(code in page for code in codes)
