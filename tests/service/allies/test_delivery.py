"""Sending calls to allies: what a message holds, webhook formats and retries against a real
server on 127.0.0.1, redirects refused, and quiet hours and digests."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail

from tropewatch.allies.delivery import queue_call, send_due
from tropewatch.allies.models import Ally, Delivery

from .conftest import POST_URL
from .helpers import make_ally, make_call

MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # London is on UTC in December


def _queue(post, members, *allies, now=MONDAY_10):
    call = make_call(post, members["lead"])
    queue_call(call, allies, now)
    return call


def test_an_email_holds_the_link_explainer_replies_report_link_and_answers(
        public_post, members, org):
    ally = make_ally(org)
    call = _queue(public_post, members, ally)

    assert send_due(MONDAY_10) == 1

    [message] = mail.outbox
    assert message.to == ["ruth@example.org"]
    assert message.subject == "Campaign group: a call to action"
    body = message.body
    assert POST_URL in body
    assert "Why it is antisemitic (Holocaust denial" in body
    assert '"Denying the Holocaust is antisemitic."' in body
    assert "Report it too, on X" in body
    assert "https://help.x.com/en/safety-and-security/report-abusive-behavior" in body
    assert f"http://testserver/allies/calls/{call.pk}/replied/" in body
    assert f"http://testserver/allies/calls/{call.pk}/reported/" in body
    assert "http://testserver/allies/unsubscribe/" in body
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<http://testserver/allies/unsubscribe/")
    assert public_post.text not in body  # allies follow the link; the slur is not repeated
    assert Delivery.objects.get().status == "sent"


def test_unsubscribed_allies_are_not_sent_calls(public_post, members, org):
    gone = make_ally(org, unsubscribed_at=MONDAY_10)

    _queue(public_post, members, gone)

    assert not Delivery.objects.exists()


@pytest.mark.parametrize(("fmt", "check"), [
    ("slack", lambda body: POST_URL in body["text"]),
    ("matrix", lambda body: POST_URL in body["text"] and body["username"] == "tropewatch"),
    ("discord", lambda body: POST_URL in body["embeds"][0]["description"]
     and body["allowed_mentions"] == {"parse": []}),
])
def test_webhooks_get_their_service_s_format(public_post, members, org, webhook_server, fmt,
                                             check):
    ally = make_ally(org, webhook_url=webhook_server.url, webhook_format=fmt)
    _queue(public_post, members, ally)

    send_due(MONDAY_10)

    [(path, body)] = webhook_server.received
    assert path == "/hooks/allies"
    assert check(body)


def test_a_failing_webhook_is_retried_with_backoff_until_it_takes_it(
        public_post, members, org, webhook_server, settings):
    settings.ALLIES_RETRY_SECONDS = 60
    webhook_server.answers = [500, 503]
    ally = make_ally(org, webhook_url=webhook_server.url, webhook_format="slack")
    _queue(public_post, members, ally)

    assert send_due(MONDAY_10) == 0
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.due_at) == (
        "pending", 1, MONDAY_10 + timedelta(seconds=60))
    assert delivery.last_error == "the webhook answered HTTP 500"

    assert send_due(MONDAY_10 + timedelta(seconds=59)) == 0  # not due yet: no request
    assert len(webhook_server.received) == 1

    assert send_due(MONDAY_10 + timedelta(seconds=60)) == 0
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.due_at) == (
        2, MONDAY_10 + timedelta(seconds=60 + 120))  # twice as long

    assert send_due(MONDAY_10 + timedelta(seconds=180)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 3, "")
    assert len(webhook_server.received) == 3


def test_a_webhook_that_keeps_failing_is_given_up(public_post, members, org, webhook_server,
                                                  settings):
    settings.ALLIES_MAX_ATTEMPTS = 2
    webhook_server.answers = [500] * 5
    ally = make_ally(org, webhook_url=webhook_server.url, webhook_format="discord")
    _queue(public_post, members, ally)

    for minutes in (0, 10, 60, 600):
        send_due(MONDAY_10 + timedelta(minutes=minutes))

    assert Delivery.objects.get().status == "failed"
    assert len(webhook_server.received) == 2


def test_a_redirect_is_not_followed(public_post, members, org, webhook_server):
    webhook_server.answers = [302]
    ally = make_ally(org, webhook_url=webhook_server.url, webhook_format="slack")
    _queue(public_post, members, ally)

    send_due(MONDAY_10)

    assert [path for path, _ in webhook_server.received] == ["/hooks/allies"]
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_error) == ("pending", "the webhook answered HTTP 302")


def test_plain_http_goes_only_to_the_hosts_settings_allow(public_post, members, org,
                                                          webhook_server, settings):
    ally = make_ally(org, webhook_url=webhook_server.url, webhook_format="slack")
    _queue(public_post, members, ally)
    settings.ALLIES_WEBHOOK_HTTP_HOSTS = []  # production: https only

    send_due(MONDAY_10)

    assert webhook_server.received == []
    assert Delivery.objects.get().last_error == "A webhook address must start https://"


def test_a_digest_waits_for_its_hour_and_the_end_of_quiet_hours_and_holds_every_call(
        public_post, members, org, settings):
    settings.ALLIES_DIGEST_HOUR = 18
    ally = make_ally(org, frequency=Ally.Frequency.DIGEST, quiet_from=time(17, 30),
                     quiet_until=time(19, 0))
    _queue(public_post, members, ally)
    _queue(public_post, members, ally, now=MONDAY_10 + timedelta(hours=2))

    # 18:00 is the digest hour, but it falls in the quiet hours: nothing until 19:00.
    assert send_due(MONDAY_10 + timedelta(hours=8, minutes=59)) == 0
    assert mail.outbox == []

    assert send_due(MONDAY_10 + timedelta(hours=9)) == 2

    [digest] = mail.outbox
    assert digest.subject == "Campaign group: 2 calls to action"
    assert digest.body.count(POST_URL) == 2


def test_quiet_hours_over_midnight_are_read_in_the_ally_s_time_zone(public_post, members,
                                                                     org):
    # 23:30 in Berlin (UTC+1 in December), inside 22:00-07:00 there.
    ally = make_ally(org, time_zone="Europe/Berlin", quiet_from=time(22, 0),
                     quiet_until=time(7, 0))
    queued = datetime(2026, 12, 7, 22, 30, tzinfo=UTC)
    _queue(public_post, members, ally, now=queued)

    assert Delivery.objects.get().due_at == datetime(2026, 12, 8, 6, 0, tzinfo=UTC)
    assert send_due(datetime(2026, 12, 8, 5, 59, tzinfo=UTC)) == 0
    assert send_due(datetime(2026, 12, 8, 6, 0, tzinfo=UTC)) == 1


def test_quiet_hours_set_after_a_call_was_queued_still_hold_it(public_post, members, org):
    ally = make_ally(org)
    _queue(public_post, members, ally)
    Ally.objects.filter(pk=ally.pk).update(quiet_from=time(9, 0), quiet_until=time(12, 0))

    assert send_due(MONDAY_10) == 0
    assert Delivery.objects.get().due_at == MONDAY_10 + timedelta(hours=2)
    assert send_due(MONDAY_10 + timedelta(hours=2)) == 1


def test_a_sent_delivery_is_not_sent_again(public_post, members, org):
    ally = make_ally(org)
    _queue(public_post, members, ally)

    assert send_due(MONDAY_10) == 1
    assert send_due(MONDAY_10 + timedelta(hours=1)) == 0
    assert len(mail.outbox) == 1


def test_the_send_allies_command_sends_what_is_due(public_post, members, org):
    from typer.testing import CliRunner

    from tropewatch.cli.main import app

    _queue(public_post, members, make_ally(org), now=datetime.now(UTC))

    result = CliRunner().invoke(app, ["send-allies"])

    assert result.exit_code == 0, result.output
    assert "sent 1 deliveries" in result.output
    assert len(mail.outbox) == 1


def test_a_webhook_on_a_private_address_is_refused(public_post, members, org, webhook_server,
                                                   settings):
    port = webhook_server.url.split(":")[2].split("/")[0]
    ally = make_ally(org, webhook_url=f"https://localhost:{port}/hooks/allies",
                     webhook_format="slack")
    _queue(public_post, members, ally)
    settings.ALLIES_WEBHOOK_HTTP_HOSTS = []

    send_due(MONDAY_10)

    assert webhook_server.received == []
    assert Delivery.objects.get().last_error.startswith(
        "the webhook's host is on a private address (")
