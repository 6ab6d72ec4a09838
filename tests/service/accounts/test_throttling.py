"""Login throttling (django-axes): which address a failure counts against, locking a username
from one address only, the back-off after repeated lockouts, and an admin unlocking."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from service.conftest import verified_client
from tropewatch.accounts.throttling import client_ip, lockout_length

ATTACKER = "203.0.113.9"
PROXY = "10.0.0.1"


def _login(client, username: str, password: str, **meta: str):
    return client.post("/login/", {"username": username, "password": password}, **meta)


def _fail_until_locked(client, settings, username: str = "viewer", **meta: str) -> None:
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, username, "wrong", **meta)
    assert _login(client, username, f"pw-{username}", **meta).status_code == 429


def _age_failures(by: timedelta) -> None:
    """As if the recorded failures had happened this much earlier."""
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= by
        attempt.save(update_fields=["attempt_time"])


def _recorded_failures() -> int:
    return sum(AccessAttempt.objects.values_list("failures_since_start", flat=True))


def test_a_rotating_forwarded_header_from_an_untrusted_address_still_locks_out(
    client, members, settings
):
    settings.BEHIND_TLS_PROXY = True
    settings.TRUSTED_PROXIES = [PROXY]

    for guess in range(25):
        _login(client, "viewer", "wrong", REMOTE_ADDR=ATTACKER,
               HTTP_X_FORWARDED_FOR=f"198.51.100.{guess}")
    response = _login(client, "viewer", "pw-viewer", REMOTE_ADDR=ATTACKER,
                      HTTP_X_FORWARDED_FOR="198.51.100.200")

    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_behind_a_trusted_proxy_each_client_is_counted_on_its_own(client, members, settings):
    settings.TRUSTED_PROXIES = [PROXY]

    _fail_until_locked(client, settings, REMOTE_ADDR=PROXY,
                       HTTP_X_FORWARDED_FOR="198.51.100.1")
    other_client = _login(client, "viewer", "pw-viewer", REMOTE_ADDR=PROXY,
                          HTTP_X_FORWARDED_FOR="198.51.100.2")

    assert other_client.status_code == 302


@pytest.mark.parametrize(("remote", "forwarded", "expected"), [
    (ATTACKER, "198.51.100.7", ATTACKER),  # not from a proxy: the header is the client's
    (PROXY, "198.51.100.7", "198.51.100.7"),
    (PROXY, "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # earlier entries: the client's own
    (PROXY, "198.51.100.7, 10.0.0.2", "198.51.100.7"),  # through two trusted proxies
    (PROXY, "not-an-address", PROXY),
    (PROXY, "", PROXY),
])
def test_client_ip_believes_the_forwarded_header_of_trusted_proxies_only(
    settings, remote, forwarded, expected
):
    settings.TRUSTED_PROXIES = [PROXY, "10.0.0.0/30"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


def test_guesses_against_one_user_do_not_lock_out_another_from_the_same_address(
    client, members, settings
):
    _fail_until_locked(client, settings, "viewer")

    assert _login(client, "triage", "pw-triage").status_code == 302


def test_each_further_failure_after_a_lockout_doubles_the_wait(client, members, settings):
    first = settings.LOGIN_COOLOFF
    _fail_until_locked(client, settings)

    assert _recorded_failures() == settings.LOGIN_FAILURE_LIMIT  # tries when locked: not
    _age_failures(first + timedelta(minutes=1))
    # The lockout is over: the next password is checked, and one more failure locks again...
    assert _login(client, "viewer", "wrong").status_code == 429
    assert _recorded_failures() == settings.LOGIN_FAILURE_LIMIT + 1

    _age_failures(first + timedelta(minutes=1))
    assert _login(client, "viewer", "pw-viewer").status_code == 429  # ...for twice as long
    _age_failures(first)
    assert _login(client, "viewer", "pw-viewer").status_code == 302


def test_the_longest_lockout_ends_and_the_failures_are_forgotten(client, members, settings):
    almost_a_day = settings.LOGIN_COOLOFF_MAX - timedelta(minutes=1)
    _fail_until_locked(client, settings)
    for _ in range(7):  # 15 minutes doubled 7 times is 32 hours: past the longest lockout
        _age_failures(almost_a_day)
        _login(client, "viewer", "wrong")

    _age_failures(almost_a_day)
    assert _login(client, "viewer", "pw-viewer").status_code == 429
    _age_failures(timedelta(minutes=2))

    assert _login(client, "viewer", "wrong").status_code == 200  # not locked again at once
    assert _login(client, "viewer", "pw-viewer").status_code == 302


def test_the_lockout_never_exceeds_the_longest(settings):
    assert lockout_length(settings.LOGIN_FAILURE_LIMIT - 1) is None
    assert lockout_length(settings.LOGIN_FAILURE_LIMIT) == settings.LOGIN_COOLOFF
    assert lockout_length(settings.LOGIN_FAILURE_LIMIT + 1) == 2 * settings.LOGIN_COOLOFF
    assert lockout_length(10_000) == settings.LOGIN_COOLOFF_MAX


def test_an_admin_sees_the_lockout_and_unlocks_it(client, members, django_user_model, settings):
    superuser = django_user_model.objects.create_superuser("root", password="pw-root")
    TOTPDevice.objects.create(user=superuser, name="app", confirmed=True)
    admin_client = verified_client(superuser)
    _fail_until_locked(client, settings)

    listing = admin_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    selected = list(AccessAttempt.objects.values_list("pk", flat=True))
    done = admin_client.post("/admin/axes/accessattempt/", {
        "action": "unlock", "_selected_action": selected,
    })

    assert "locked until" in listing.content.decode().lower()
    assert done.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert _login(client, "viewer", "pw-viewer").status_code == 302
