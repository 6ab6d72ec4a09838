"""Invitations: made by an organisation's admin, used once, before they expire."""

from __future__ import annotations

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from tropewatch.accounts.invitations import create_invitation
from tropewatch.accounts.models import Invitation, Membership


def _signup(client, token: str, username: str = "newcomer"):
    return client.post(f"/invite/{token}/", {
        "username": username, "password1": "a-long-passphrase-42", "password2":
        "a-long-passphrase-42"})


def test_an_admin_makes_a_link_shown_once_and_stored_only_as_a_digest(client_as, org):
    response = client_as("admin").post("/o/campaign/invitations/",
                                       {"role": "triage", "invitee": "Sam"})

    link = re.search(r"http://testserver/invite/([\w-]+)/", response.content.decode())
    assert link
    stored = Invitation.objects.get()
    assert stored.role == "triage" and stored.invitee == "Sam"
    assert link.group(1) not in stored.token_sha256
    listing = client_as("admin").get("/o/campaign/invitations/").content.decode()
    assert link.group(1) not in listing


def test_a_newcomer_joins_in_the_invited_role(client, org, members):
    _, token = create_invitation(org, "triage", members["admin"])

    response = _signup(client, token)

    assert response["Location"] == "/o/campaign/queue/"
    user = get_user_model().objects.get(username="newcomer")
    assert Membership.objects.get(user=user, org=org).role == "triage"
    assert client.get("/o/campaign/queue/").status_code == 200


def test_a_newcomer_invited_as_moderator_must_set_up_two_factor(client, org, members):
    _, token = create_invitation(org, "moderator", members["admin"])
    _signup(client, token)

    response = client.get("/o/campaign/queue/")

    assert response["Location"].startswith("/two-factor/")


def test_a_link_works_once(client, org, members):
    _, token = create_invitation(org, "viewer", members["admin"])
    _signup(client, token, "first")
    client.logout()

    second = _signup(client, token, "second")

    assert second.status_code == 410
    assert not get_user_model().objects.filter(username="second").exists()


def test_an_expired_or_revoked_link_is_refused(client, org, members):
    _, expired = create_invitation(org, "viewer", members["admin"])
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    revoked_invitation, revoked = create_invitation(org, "viewer", members["admin"])
    admin = client_for_admin(members)
    admin.post(f"/o/campaign/invitations/{revoked_invitation.pk}/revoke/")

    assert client.get(f"/invite/{expired}/").status_code == 410
    assert client.get(f"/invite/{revoked}/").status_code == 410
    assert client.get("/invite/made-up-token/").status_code == 410


def test_a_member_accepting_takes_the_invited_role(client_as, org, members):
    _, token = create_invitation(org, "lead", members["admin"])
    triage = client_as("triage")

    triage.post(f"/invite/{token}/")

    assert Membership.objects.get(user=members["triage"], org=org).role == "lead"


def client_for_admin(members):
    from service.conftest import verified_client

    return verified_client(members["admin"])
