"""Signup links: many people join by one link in its role (reporter unless chosen), until it
expires, is revoked or is used up; uses are counted so that no link is over-used."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from service.concurrency import as_concurrent_moderators
from tropewatch.accounts.invitations import InvitationUnusable
from tropewatch.accounts.models import AdminEvent, Membership, SignupLink
from tropewatch.accounts.signup_links import create_signup_link, join_by_signup_link


def _signup(client, token: str, username: str):
    return client.post(f"/join/{token}/", {
        "username": username, "password1": "a-long-passphrase-42",
        "password2": "a-long-passphrase-42"})


def _link(org, members, max_uses: int = 10, days: int = 1):
    return create_signup_link(org, "reporter", members["admin"],
                              timezone.now() + timedelta(days=days), max_uses)


def test_an_admin_makes_a_reporter_link_shown_once(client_as, org):
    day = (timezone.localdate() + timedelta(days=3)).isoformat()

    page = client_as("admin").post("/o/campaign/signup-links/", {
        "role": "reporter", "expires_on": day, "max_uses": "25"}).content.decode()

    token = re.search(r"http://testserver/join/([\w-]+)/", page).group(1)
    stored = SignupLink.objects.get()
    assert (stored.role, stored.max_uses, stored.uses) == ("reporter", 25, 0)
    assert timezone.localtime(stored.expires_at).date().isoformat() > day  # end of that day
    assert token not in stored.token_sha256
    assert token not in client_as("admin").get("/o/campaign/invitations/").content.decode()
    assert AdminEvent.objects.get().action == "link_made"


@pytest.mark.parametrize("data, error", [
    ({"expires_on": "2001-01-01", "max_uses": "5"}, "That day is past"),
    ({"expires_on": "2999-01-01", "max_uses": "5"}, "At most a year ahead"),
    ({"max_uses": "0"}, "greater than or equal to 1"),
    ({"max_uses": "many"}, "Enter a whole number"),
])
def test_a_bad_link_form_says_which_field(client_as, data, error):
    data = {"role": "reporter",
            "expires_on": (timezone.localdate() + timedelta(days=3)).isoformat(), **data}

    page = client_as("admin").post("/o/campaign/signup-links/", data).content.decode()

    assert error in page
    assert not SignupLink.objects.exists()


def test_people_join_as_reporters_until_the_link_is_used_up(client, org, members):
    link, token = _link(org, members, max_uses=2)

    first = _signup(Client(), token, "first")
    _signup(Client(), token, "second")
    third = _signup(Client(), token, "third")

    assert first["Location"] == "/o/campaign/submissions/"
    assert Membership.objects.get(user__username="first").role == "reporter"
    assert third.status_code == 410
    assert not get_user_model().objects.filter(username="third").exists()
    link.refresh_from_db()
    assert link.uses == 2


def test_an_expired_or_revoked_link_is_refused(client_as, org, members):
    _, old = _link(org, members, days=-1)
    revoked, token = _link(org, members)
    client_as("admin").post(f"/o/campaign/signup-links/{revoked.pk}/revoke/")

    assert _signup(Client(), old, "late").status_code == 410
    assert _signup(Client(), token, "after").status_code == 410
    assert Client().get(f"/join/{token}/").status_code == 410
    assert not get_user_model().objects.filter(username__in=["late", "after"]).exists()


def test_a_member_opening_the_link_keeps_their_role_and_uses_nothing(client_as, org, members):
    link, token = _link(org, members)

    response = client_as("admin").post(f"/join/{token}/")

    assert response.status_code == 302
    assert Membership.objects.get(user=members["admin"]).role == "admin"
    link.refresh_from_db()
    assert link.uses == 0


def test_an_unknown_token_is_refused(client, db):
    assert client.get("/join/not-a-token/").status_code == 410


@pytest.mark.django_db(transaction=True)
def test_many_people_at_once_never_use_a_link_more_than_its_maximum(org, members):
    link, _ = _link(org, members, max_uses=5)
    people = [get_user_model().objects.create_user(f"supporter{n}") for n in range(12)]
    refused = []

    def join(user) -> None:
        try:
            join_by_signup_link(link, user)
        except InvitationUnusable:
            refused.append(user)

    as_concurrent_moderators(join, people)

    link.refresh_from_db()
    assert link.uses == 5
    assert Membership.objects.filter(user__in=people).count() == 5
    assert len(refused) == 7


def test_the_form_offers_a_day_two_weeks_ahead(client_as):
    page = client_as("admin").get("/o/campaign/invitations/").content.decode()

    ahead = (timezone.localdate() + timedelta(days=14)).isoformat()
    assert f'type="date" name="expires_on" value="{ahead}"' in page
