"""Password reset by email: a link to the account's address, usable once; the same answer for
addresses that have no account; and a limit on how often one can be asked for."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()  # the reset counts live in the cache, which outlives a test
    yield
    cache.clear()


@pytest.fixture
def viewer(members):
    members["viewer"].email = "viewer@example.org"
    members["viewer"].save()
    return members["viewer"]


def _reset_link() -> str:
    [message] = mail.outbox
    return re.search(r"http://testserver(/password-reset/\S+/)", message.body).group(1)


def test_a_member_resets_their_password_by_email(client, viewer):
    sent = client.post("/password-reset/", {"email": "Viewer@Example.org"})

    assert sent["Location"] == "/password-reset/sent/"
    assert mail.outbox[0].to == ["viewer@example.org"]
    form = client.get(_reset_link(), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {
        "new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"})
    assert done["Location"] == "/password-reset/done/"
    assert client.post("/login/", {"username": "viewer",
                                   "password": "another-long-passphrase"}).status_code == 302


def test_a_used_link_is_refused(client, viewer):
    client.post("/password-reset/", {"email": "viewer@example.org"})
    link = _reset_link()
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {
        "new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"})

    again = client.get(link, follow=True).content.decode()

    assert "This link cannot be used" in again


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, viewer):
    response = client.post("/password-reset/", {"email": "nobody@example.org"})

    assert response["Location"] == "/password-reset/sent/"
    assert mail.outbox == []


def test_resets_are_limited_per_address_asked_for(client, viewer, settings):
    settings.PASSWORD_RESETS_PER_HOUR = 2
    for _ in range(2):
        client.post("/password-reset/", {"email": "viewer@example.org"})

    third = client.post("/password-reset/", {"email": "viewer@example.org"})

    assert third.status_code == 429
    assert "Too many password resets" in third.content.decode()
    assert len(mail.outbox) == 2


def test_resets_are_limited_per_client_address_across_email_addresses(client, viewer, settings):
    settings.PASSWORD_RESETS_PER_HOUR = 2
    for n in range(2):
        client.post("/password-reset/", {"email": f"guess{n}@example.org"})

    response = client.post("/password-reset/", {"email": "viewer@example.org"})

    assert response.status_code == 429
    assert mail.outbox == []


def test_a_reset_password_still_needs_the_second_factor(client, members):
    members["moderator"].email = "mod@example.org"
    members["moderator"].save()
    client.post("/password-reset/", {"email": "mod@example.org"})
    form = client.get(_reset_link(), follow=True)
    client.post(form.redirect_chain[-1][0], {
        "new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"})

    login = client.post("/login/", {"username": "moderator",
                                    "password": "another-long-passphrase"})

    assert login.status_code == 200
    assert "6-digit code" in login.content.decode()
