"""The leads' pages: keeping the list of allies, and sending a call to action."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from tropewatch.allies.links import answer_path, unsubscribe_path
from tropewatch.allies.models import Ally, CallToAction, Delivery
from tropewatch.posts.models import Source
from tropewatch.review.decisions import Decision, record
from tropewatch.review.status import Action

from .helpers import make_ally, make_call

GOOD = {"name": "Ruth", "email": "ruth@example.org", "frequency": "immediate",
        "time_zone": "Europe/London"}


def _list(org):
    return f"/o/{org.slug}/allies/"


def test_a_lead_adds_an_ally(client_as, org):
    response = client_as("lead").post(_list(org), {**GOOD, "quiet_from": "22:00",
                                                   "quiet_until": "07:00"})

    assert response.status_code == 302
    ally = Ally.objects.get()
    assert (ally.org, ally.name, ally.email, str(ally.quiet_from)) == (
        org, "Ruth", "ruth@example.org", "22:00:00")


@pytest.mark.parametrize(("data", "field", "error"), [
    ({"email": ""}, "__all__", "Give an email address, a webhook address, or both."),
    ({"webhook_url": "http://hooks.example.org/x", "webhook_format": "slack"}, "webhook_url",
     "A webhook address must start https://"),
    ({"webhook_url": "https://hooks.example.org/x"}, "webhook_format",
     "Say which chat service the webhook is for."),
    ({"webhook_url": "https://user:pw@hooks.example.org/x", "webhook_format": "slack"},
     "webhook_url", "A webhook address must not hold a user name or password."),
    ({"quiet_from": "22:00"}, "quiet_until", "Give both ends of the quiet hours, or neither."),
    ({"time_zone": "Mars/Olympus"}, "time_zone",
     "'Mars/Olympus' is not a time zone name such as Europe/London."),
])
def test_bad_ally_details_are_refused_naming_the_field(client_as, org, data, field, error):
    response = client_as("lead").post(_list(org), {**GOOD, **data})

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [error]
    assert not Ally.objects.exists()


def test_a_lead_edits_an_ally_s_frequency(client_as, org):
    ally = make_ally(org)

    client_as("lead").post(f"{_list(org)}{ally.pk}/", {**GOOD, "frequency": "digest"})

    ally.refresh_from_db()
    assert ally.frequency == "digest"


def test_another_organisation_s_ally_is_not_found(client_as, other_org):
    stranger = make_ally(other_org)

    assert client_as("admin").post(f"/o/campaign/allies/{stranger.pk}/erase/").status_code == 404
    assert Ally.objects.filter(pk=stranger.pk).exists()


def _call(post):
    return f"/o/{post.org.slug}/posts/{post.pk}/call/"


def test_sending_a_call_queues_deliveries_and_sends_nothing_in_the_request(
        client_as, public_post, org, webhook_server, django_capture_on_commit_callbacks):
    by_mail = make_ally(org)
    both = make_ally(org, "Sam", email="sam@example.org", webhook_url=webhook_server.url,
                     webhook_format="matrix")
    make_ally(org, "Not chosen")

    with django_capture_on_commit_callbacks() as callbacks:
        response = client_as("lead").post(_call(public_post), {"allies": [by_mail.pk, both.pk]})

    assert response.status_code == 302
    call = CallToAction.objects.get()
    assert (call.post, call.sent_by_name, call.site_url) == (
        public_post, "lead", "http://testserver/")
    assert sorted(Delivery.objects.values_list("ally__name", "channel")) == [
        ("Ruth", "email"), ("Sam", "email"), ("Sam", "webhook")]
    # Handed to the background once committed; the request itself sent nothing.
    assert len(callbacks) == 1
    assert webhook_server.received == []
    assert mail.outbox == []


def test_an_unsubscribed_ally_cannot_be_chosen(client_as, public_post, org):
    gone = make_ally(org, unsubscribed_at="2026-12-01T00:00Z")

    response = client_as("lead").post(_call(public_post), {"allies": [gone.pk]})

    assert response.status_code == 200
    assert not CallToAction.objects.exists()


def test_a_post_that_is_not_confirmed_and_public_is_not_sent(client_as, make_post, members,
                                                             org):
    ally = make_ally(org)
    open_post = make_post(url="https://x.com/a/status/1")
    no_address = make_post()
    in_a_group = make_post(url="https://facebook.com/groups/1/posts/2", post_source=(
        Source.objects.create(org=org, platform="facebook", kind="group", name="Group")))
    for post in (no_address, in_a_group):
        record(org, post.pk, members["lead"], "lead", Decision(Action.CONFIRM))

    for post in (open_post, no_address, in_a_group):
        page = client_as("lead").get(_call(post)).content.decode()
        assert "Send the call to action" not in page
        response = client_as("lead").post(_call(post), {"allies": [ally.pk]})
        assert response.status_code == 400

    assert not CallToAction.objects.exists()


def test_the_item_page_links_leads_to_the_call(client_as, public_post):
    item = f"/o/{public_post.org.slug}/posts/{public_post.pk}/"

    assert f'href="{_call(public_post)}"' in client_as("lead").get(item).content.decode()
    assert f'href="{_call(public_post)}"' not in (
        client_as("moderator").get(item).content.decode())


def test_with_a_broker_the_call_is_queued_for_a_worker_and_a_broker_down_is_no_error(
        client_as, public_post, org, settings, monkeypatch,
        django_capture_on_commit_callbacks):
    from tropewatch.allies import tasks

    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued = []

    def broker_down() -> None:
        queued.append(True)
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks.send_due_task, "delay", broker_down)
    ally = make_ally(org)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("lead").post(_call(public_post), {"allies": [ally.pk]})

    assert response.status_code == 302
    assert queued == [True]
    assert Delivery.objects.get().status == "pending"  # the workers' sweep sends it


def test_the_pages_have_no_inline_script_or_style(client_as, public_post, org, members):
    ally = make_ally(org)
    call = make_call(public_post, members["lead"])
    lead = client_as("lead")
    pages = [lead.get(path) for path in (_list(org), f"{_list(org)}{ally.pk}/",
                                         _call(public_post))]
    pages += [Client().get(path) for path in (answer_path(ally.pk, call.pk, "replied"),
                                              unsubscribe_path(ally.pk))]

    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert " style=" not in html and "<style" not in html
        assert re.findall(r"<script(?![^>]*\ssrc=)", html) == []
