"""API tokens: made and revoked by their user on the console page, shown once, stored hashed,
scoped to one organisation, following the member's current role."""

from __future__ import annotations

import hashlib
import re

from tropewatch.accounts.models import Membership
from tropewatch.api.models import ApiToken
from tropewatch.api.tokens import create_token

from .conftest import ApiClient, submission


def _made_on_the_page(client, org) -> str:
    page = client.post(f"/o/{org.slug}/api-tokens/", {"name": "extension"}).content.decode()
    return re.search(r'<code class="secret" dir="ltr">(tw_[\w-]+)</code>', page).group(1)


def test_a_token_is_shown_once_and_stored_only_as_its_sha256(org, client_as):
    client = client_as("reporter")

    secret = _made_on_the_page(client, org)

    token = ApiToken.objects.get()
    assert len(secret) > 40 and token.name == "extension"
    assert token.token_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    stored = " ".join(str(value) for value in ApiToken.objects.values_list().get())
    assert secret not in stored and secret[3:] not in stored
    assert secret not in client.get(f"/o/{org.slug}/api-tokens/").content.decode()
    assert ApiClient(secret).post("/submissions", submission()).status_code == 201
    assert ApiToken.objects.get().last_used_at is not None


def test_a_revoked_token_is_refused(org, client_as):
    client = client_as("reporter")
    secret = _made_on_the_page(client, org)

    client.post(f"/o/{org.slug}/api-tokens/{ApiToken.objects.get().pk}/revoke/")

    response = ApiClient(secret).post("/submissions", submission())
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert "revoked" in response.json()["detail"]


def test_nobody_revokes_someone_elses_token(org, members, client_as):
    token, secret = create_token(org, members["viewer"], "theirs")

    response = client_as("admin").post(f"/o/{org.slug}/api-tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_a_token_follows_its_member(org, members):
    _, secret = create_token(org, members["moderator"], "laptop")
    api = ApiClient(secret)
    assert api.get("/items").status_code == 200

    Membership.objects.filter(user=members["moderator"]).update(role="reporter")
    assert api.get("/items").status_code == 403

    Membership.objects.filter(user=members["moderator"]).delete()
    assert api.get("/items").status_code == 401


def test_no_token_or_a_wrong_one_is_refused(org, members):
    _, secret = create_token(org, members["admin"], "laptop")

    for client in (ApiClient(None), ApiClient(secret + "x"), ApiClient("tw_guess")):
        response = client.get("/items")
        assert response.status_code == 401 and isinstance(response.json()["detail"], str)
