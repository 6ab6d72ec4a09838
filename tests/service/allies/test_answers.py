"""Allies answer and unsubscribe through signed links, without an account: a link cannot be
forged, moved to another call, turned into the other answer or into another ally's, and
pressing it twice counts once."""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.test import Client
from django.utils import timezone

from tropewatch.allies.delivery import queue_call
from tropewatch.allies.links import answer_path, unsubscribe_path
from tropewatch.allies.models import Ally, AllyResponse, Delivery

from .helpers import make_ally, make_call


def test_an_ally_answers_with_the_link_they_were_sent(public_post, members, org):
    ally = make_ally(org)
    call = make_call(public_post, members["lead"])
    path = answer_path(ally.pk, call.pk, "replied")

    page = Client().get(path)  # a mail scanner opening the link records nothing
    assert page.status_code == 200 and not AllyResponse.objects.exists()
    assert Client().post(path).status_code == 200

    response = AllyResponse.objects.get()
    assert (response.call, response.ally, response.answer) == (call, ally, "replied")


def test_the_same_answer_twice_counts_once(public_post, members, org):
    ally = make_ally(org)
    call = make_call(public_post, members["lead"])
    path = answer_path(ally.pk, call.pk, "reported")

    for _ in range(2):
        assert Client().post(path).status_code == 200

    assert AllyResponse.objects.count() == 1
    assert "is counted" in Client().get(path).content.decode()


def test_a_forged_token_is_refused(public_post, members, org):
    ally = make_ally(org)
    call = make_call(public_post, members["lead"])
    unsigned = signing.b64_encode(f'[{ally.pk},{call.pk},"replied"]'.encode()).decode()
    other_key = signing.dumps([ally.pk, call.pk, "replied"], key="not-the-secret-key" * 3,
                              salt="tropewatch.allies.answer")

    for token in (unsigned, f"{unsigned}:abc:def", other_key):
        path = f"/allies/calls/{call.pk}/replied/{token}/"
        assert Client().post(path).status_code == 404

    assert not AllyResponse.objects.exists()


def test_a_link_cannot_be_reused_for_another_call(public_post, make_post, members, org):
    ally = make_ally(org)
    call = make_call(public_post, members["lead"])
    other = make_call(make_post(url="https://x.com/b/status/2"), members["lead"])
    token = answer_path(ally.pk, call.pk, "replied").rstrip("/").rsplit("/", 1)[1]

    response = Client().post(f"/allies/calls/{other.pk}/replied/{token}/")

    assert response.status_code == 404
    assert not AllyResponse.objects.exists()


def test_a_link_cannot_be_turned_into_the_other_answer(public_post, members, org):
    ally = make_ally(org)
    call = make_call(public_post, members["lead"])
    path = answer_path(ally.pk, call.pk, "replied")

    response = Client().post(path.replace("/replied/", "/reported/"))

    assert response.status_code == 404
    assert not AllyResponse.objects.exists()


def test_an_unsubscribe_token_is_not_an_answer(public_post, members, org):
    ally = make_ally(org)
    call = make_call(public_post, members["lead"])
    token = unsubscribe_path(ally.pk).rstrip("/").rsplit("/", 1)[1]

    assert Client().post(f"/allies/calls/{call.pk}/replied/{token}/").status_code == 404


def test_an_ally_unsubscribes_with_one_press_and_gets_no_more_calls(public_post, members,
                                                                    org):
    ally = make_ally(org, frequency="digest")
    queue_call(make_call(public_post, members["lead"]), [ally], timezone.now())
    path = unsubscribe_path(ally.pk)

    assert Client().get(path).status_code == 200
    ally.refresh_from_db()
    assert ally.subscribed  # opening the link alone changes nothing
    # The one-click POST that mail clients send (RFC 8058), without a CSRF token.
    Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})

    ally.refresh_from_db()
    assert not ally.subscribed
    assert not Delivery.objects.exists()  # the digest waiting for them goes too
    assert "You are unsubscribed" in Client().get(path).content.decode()
    assert Client().get("/allies/unsubscribe/MQ:forged:token/").status_code == 404


def test_an_erased_ally_s_answers_stay_counted_but_their_links_stop(public_post, members, org,
                                                                     client_as):
    ally = make_ally(org)
    call = make_call(public_post, members["lead"])
    queue_call(call, [ally], timezone.now() + timedelta(days=1))
    path = answer_path(ally.pk, call.pk, "replied")
    Client().post(path)

    client_as("lead").post(f"/o/{org.slug}/allies/{ally.pk}/erase/")

    assert not Ally.objects.exists() and not Delivery.objects.exists()
    assert list(AllyResponse.objects.values_list("ally", "answer")) == [(None, "replied")]
    assert Client().post(path).status_code == 404
