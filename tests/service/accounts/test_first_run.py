"""The first-run page: a fresh deployment's first organisation and admin, made from the web
behind the setup token that `tropewatch serve` writes to the server log."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from service.concurrency import as_concurrent_moderators
from tropewatch.accounts import first_run
from tropewatch.accounts.models import Membership
from tropewatch.cli.service import site_url
from tropewatch.orgs.models import Organisation

PASSWORD = "a-long-passphrase-42"


def _setup_data(token: str, slug: str = "campaign", username: str = "founder") -> dict:
    return {"token": token, "org_name": "Campaign group", "org_slug": slug,
            "username": username, "email": f"{username}@example.org",
            "password1": PASSWORD, "password2": PASSWORD}


@pytest.mark.django_db
def test_a_valid_set_up_makes_the_org_and_its_admin_who_lands_on_two_factor(client):
    token = first_run.setup_token()
    form_page = client.get(f"/setup/?token={token}").content.decode()
    assert f'name="token" value="{token}"' in form_page

    response = client.post("/setup/", _setup_data(token))

    org = Organisation.objects.get()
    user = get_user_model().objects.get(username="founder")
    assert (org.name, org.slug, user.email) == ("Campaign group", "campaign", "founder@example.org")
    assert user.check_password(PASSWORD) and not user.is_superuser
    assert Membership.objects.get(org=org, user=user).role == "admin"
    assert response["Location"] == "/two-factor/?next=%2Fo%2Fcampaign%2Fqueue%2F"
    # Logged in, with a second factor still to set up: the console sends them there too.
    assert "Set up two-factor login" in client.get(response["Location"]).content.decode()
    assert client.get("/o/campaign/queue/")["Location"].startswith("/two-factor/")


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["", "0" * 64, "not-a-token"])
def test_a_missing_or_wrong_token_is_refused_and_says_where_the_link_is(client, token):
    shown = client.get(f"/setup/?token={token}")
    posted = client.post("/setup/", _setup_data(token))

    assert shown.status_code == posted.status_code == 403
    assert "No organisation yet: open" in shown.content.decode()
    assert not Organisation.objects.exists() and not get_user_model().objects.exists()


@pytest.mark.django_db
def test_a_token_under_another_secret_key_is_refused(client, settings):
    settings.SECRET_KEY = "another-deployment-s-secret-key"
    other = first_run.setup_token()
    settings.SECRET_KEY = "test-only-secret-key"

    assert client.post("/setup/", _setup_data(other)).status_code == 403
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_bad_input_names_the_field_and_makes_nothing(client):
    data = _setup_data(first_run.setup_token(), slug="not a slug") | {"password2": "other"}

    page = client.post("/setup/", data).content.decode()

    assert "Enter a valid “slug”" in page
    assert "The two password fields didn’t match." in page
    assert not Organisation.objects.exists() and not get_user_model().objects.exists()


def test_the_page_is_gone_once_an_organisation_exists(client, org):
    token = first_run.setup_token()

    assert client.get(f"/setup/?token={token}").status_code == 404
    assert client.post("/setup/", _setup_data(token, slug="second")).status_code == 404
    assert list(Organisation.objects.values_list("slug", flat=True)) == ["campaign"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_set_ups_make_exactly_one_organisation():
    token = first_run.setup_token()
    people = [SimpleNamespace(username=f"founder{n}") for n in range(6)]
    answers = []

    def set_up(person) -> None:
        data = _setup_data(token, slug=f"org-{person.username}", username=person.username)
        answers.append(Client().post("/setup/", data).status_code)

    as_concurrent_moderators(set_up, people)

    assert sorted(answers) == [302] + [404] * 5
    org = Organisation.objects.get()
    assert Membership.objects.get(org=org).role == "admin"
    assert get_user_model().objects.count() == 1  # the refused made no account either


def test_serve_announces_the_setup_link_only_while_there_is_no_organisation(db):
    line = first_run.announcement("http://127.0.0.1:8000")

    assert line == ("No organisation yet: open http://127.0.0.1:8000/setup/?token="
                    f"{first_run.setup_token()} to create the first one")
    Organisation.objects.create(name="Campaign group", slug="campaign")
    assert first_run.announcement("http://127.0.0.1:8000") is None


def test_the_announced_address_is_where_people_reach_the_server(settings):
    settings.CSRF_TRUSTED_ORIGINS = []
    settings.ALLOWED_HOSTS = ["*"]
    assert site_url("127.0.0.1:8000", production=False) == "http://127.0.0.1:8000"
    assert site_url("0.0.0.0:8000", production=True) == "http://0.0.0.0:8000"
    settings.ALLOWED_HOSTS = [".example.org", "tropewatch.example.org"]
    assert site_url("0.0.0.0:8000", production=True) == "https://tropewatch.example.org"
    settings.CSRF_TRUSTED_ORIGINS = ["https://tw.example.org"]
    assert site_url("0.0.0.0:8000", production=True) == "https://tw.example.org"
