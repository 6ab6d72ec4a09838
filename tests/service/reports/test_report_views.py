"""The report page of a confirmed post: the draft, recording each step by hand, sending
through the APIs of local replay servers, and the reporting settings."""

from __future__ import annotations

import json

import pytest
from ingest.follow.fake_servers import Reply

from tropewatch.evidence.models import EvidenceRecord
from tropewatch.reports.credentials import reveal, seal
from tropewatch.reports.models import (
    InstanceRules,
    PlatformReport,
    PlatformReportEvent,
    ReportingSettings,
)
from tropewatch.review.models import AppendOnlyError

from .replay import (
    MASTODON_INSTANCE,
    POST_CID,
    POST_URI,
    create_report,
    create_session,
    mastodon_report,
    mastodon_search,
)

ZOG = "The ZOG controls the media."
ZOG_SPANS = [{"start": 4, "end": 7, "term": "ZOG", "category": "coded_language", "entry": "zog"}]


def report_url(post) -> str:
    return f"/o/{post.org.slug}/posts/{post.pk}/report/"


def test_a_confirmed_item_links_to_its_report_for_leads_only(client_as, make_post, confirm):
    post = confirm(make_post())
    item = f"/o/{post.org.slug}/posts/{post.pk}/"

    assert report_url(post) in client_as("lead").get(item).content.decode()
    assert report_url(post) not in client_as("moderator").get(item).content.decode()


def test_an_open_item_has_no_report_link_and_no_report(client_as, make_post):
    post = make_post()

    page = client_as("lead").get(f"/o/{post.org.slug}/posts/{post.pk}/").content.decode()
    response = client_as("lead").post(report_url(post), {"action": "draft"})

    assert report_url(post) not in page
    assert response.status_code == 302
    assert not PlatformReport.objects.exists()


def test_the_report_page_shows_the_draft_with_rules_meanings_and_form(client_as, make_post,
                                                                     confirm):
    post = confirm(make_post(ZOG, spans=ZOG_SPANS, url="https://x.com/a/status/9"),
                   ["coded_language", "power_control"])

    page = client_as("lead").get(report_url(post)).content.decode()

    assert "Hateful Conduct: slurs and tropes" in page
    assert "&quot;ZOG&quot;: &quot;ZOG&quot;, short for" in page
    assert "https://help.x.com/en/safety-and-security/report-abusive-behavior" in page
    # Confirming captured the evidence; the draft cites its hash.
    evidence = EvidenceRecord.objects.get(post=post)
    assert f"Evidence hash (SHA-256 of the captured record): {evidence.sha256}" in page
    assert "No Article 16 notice: The organisation does not send notices" in page


def test_the_notice_appears_once_the_organisation_sends_them(client_as, make_post, confirm, org):
    ReportingSettings.objects.create(org=org, notifier_name="Ada", notifier_email="a@ex.org",
                                     dsa_notices=True)
    post = confirm(make_post("The holohoax.", url="https://x.com/a/status/9"),
                   ["holocaust_denial"])

    page = client_as("admin").get(report_url(post)).content.decode()

    assert "Exact location of the content: https://x.com/a/status/9" in page
    assert "Ada &lt;a@ex.org&gt;" in page


def test_a_lead_records_each_step_by_hand(client_as, make_post, confirm, members):
    post = confirm(make_post())
    lead = client_as("lead")

    lead.post(report_url(post), {"action": "submit", "reference": "X-123"})
    lead.post(report_url(post), {"action": "respond", "note": "We found no violation."})
    lead.post(report_url(post), {"action": "appeal"})
    lead.post(report_url(post), {"action": "close", "outcome": "removed"})

    report = PlatformReport.objects.get(post=post)
    assert (report.status, report.outcome, report.reference) == ("closed", "removed", "X-123")
    assert report.submitted_by == members["lead"] and report.submitted_at is not None
    assert report.response == "We found no violation."
    assert report.rules_cited == ["x_slurs_tropes"]
    assert [e.action for e in report.events.all()] == [
        "draft", "submit", "respond", "appeal", "close"]


def test_a_step_out_of_order_changes_nothing(client_as, make_post, confirm):
    post = confirm(make_post())
    lead = client_as("lead")
    lead.post(report_url(post), {"action": "submit", "reference": "X-1"})

    response = lead.post(report_url(post), {"action": "close"}, follow=True)

    assert "Not saved: closing a report needs its outcome." in response.content.decode()
    assert PlatformReport.objects.get(post=post).status == "submitted"
    assert PlatformReportEvent.objects.count() == 2


def test_report_events_are_append_only(client_as, make_post, confirm):
    post = confirm(make_post())
    client_as("lead").post(report_url(post), {"action": "draft"})
    event = PlatformReportEvent.objects.get()

    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        PlatformReportEvent.objects.all().delete()


def test_bluesky_is_sent_through_the_api_with_the_stored_app_password(
    client_as, make_post, confirm, org, replay_server
):
    replay_server.route("/xrpc/com.atproto.server.createSession",
                        lambda request: create_session(), method="POST")
    replay_server.route("/xrpc/com.atproto.moderation.createReport",
                        lambda request: create_report("x"), method="POST")
    ReportingSettings.objects.create(
        org=org, bluesky_service=replay_server.url, bluesky_handle="group.example",
        bluesky_app_password_sealed=seal("app-pass-word"))
    post = confirm(make_post(platform="bluesky", raw={"uri": POST_URI, "cid": POST_CID}))
    post.platform_id = POST_URI
    post.save()

    assert "Submit via API" in client_as("lead").get(report_url(post)).content.decode()
    client_as("lead").post(report_url(post) + "send/")

    report = PlatformReport.objects.get(post=post)
    assert (report.status, report.reference) == ("submitted", "4711")
    assert report.events.get(action="submit").via_api
    login = json.loads(replay_server.requests[0].body)
    assert login["password"] == "app-pass-word"
    sent = json.loads(replay_server.requests[1].body)
    assert sent["subject"] == {"$type": "com.atproto.repo.strongRef", "uri": POST_URI,
                               "cid": POST_CID}


def test_mastodon_is_sent_with_the_rules_ticked_and_its_rules_are_cached(
    client_as, make_post, confirm, org, replay_server
):
    replay_server.route("/api/v1/instance", lambda request: Reply(body=MASTODON_INSTANCE))
    replay_server.route("/api/v2/search", lambda request: mastodon_search())
    replay_server.route("/api/v1/reports", lambda request: mastodon_report(), method="POST")
    ReportingSettings.objects.create(org=org, mastodon_instance=replay_server.url,
                                     mastodon_token_sealed=seal("tok"))
    post = confirm(make_post(platform="mastodon", url="https://remote.example/@poster/77"))
    lead = client_as("lead")

    page = lead.get(report_url(post)).content.decode()
    lead.post(report_url(post) + "send/", {"rule_ids": ["2"]})

    assert 'value="2" id="rule-2" checked' in page  # the rule naming racism, suggested
    assert len(replay_server.requests_to("/api/v1/instance")) == 1  # read once, then cached
    assert InstanceRules.objects.get().rules[1]["id"] == "2"
    sent = json.loads(replay_server.requests_to("/api/v1/reports")[0].body)
    assert sent["rule_ids"] == ["2"] and sent["forward"] is True
    assert PlatformReport.objects.get(post=post).reference == "5150"


def test_a_failed_send_records_no_submission(client_as, make_post, confirm, org, replay_server):
    ReportingSettings.objects.create(
        org=org, bluesky_service=replay_server.url, bluesky_handle="g",
        bluesky_app_password_sealed=seal("p"))
    post = confirm(make_post(platform="bluesky", raw={"cid": POST_CID}))

    response = client_as("lead").post(report_url(post) + "send/", follow=True)

    assert "Not sent: Bluesky at" in response.content.decode()
    assert not PlatformReportEvent.objects.filter(action="submit").exists()


def test_stored_credentials_are_sealed_and_never_shown_back(client_as, org):
    admin = client_as("admin")
    settings_url = f"/o/{org.slug}/reporting/"

    admin.post(settings_url, {"notifier_name": "Ada", "notifier_email": "a@ex.org",
                              "bluesky_service": "https://bsky.social",
                              "bluesky_handle": "group.example",
                              "bluesky_app_password": "secret-app-pw"})
    row = ReportingSettings.objects.get(org=org)
    admin.post(settings_url, {"notifier_name": "Ada Lovelace", "notifier_email": "a@ex.org",
                              "bluesky_service": "https://bsky.social",
                              "bluesky_handle": "group.example", "bluesky_app_password": ""})
    page = admin.get(settings_url).content.decode()

    assert "secret-app-pw" not in row.bluesky_app_password_sealed
    assert reveal(ReportingSettings.objects.get(org=org).bluesky_app_password_sealed) == \
        "secret-app-pw"  # a blank field kept it
    assert "secret-app-pw" not in page and row.bluesky_app_password_sealed not in page
    assert '<span class="muted">set</span>' in page


def test_a_servers_rules_are_read_again_after_a_day(db, replay_server):
    from datetime import timedelta

    from django.utils import timezone

    from tropewatch.reports.services import cached_instance_rules
    from tropewatch.reports.submit import MastodonServer

    replay_server.route("/api/v1/instance", lambda request: Reply(body=MASTODON_INSTANCE))
    server = MastodonServer(replay_server.url)
    InstanceRules.objects.create(instance=server.host, rules=[{"id": "9", "text": "Old."}],
                                 fetched_at=timezone.now() - timedelta(days=2))

    rules = cached_instance_rules(server)

    assert [rule.id for rule in rules] == ["1", "2", "3"]
    assert InstanceRules.objects.get().rules[0]["id"] == "1"


def test_a_post_from_a_csv_file_has_no_report_to_draft(client_as, make_post, confirm):
    post = confirm(make_post("The Rothschilds control the banks.", platform="csv"),
                   ["rothschild_soros"])
    lead = client_as("lead")

    page = lead.get(f"/o/{post.org.slug}/posts/{post.pk}/").content.decode()
    response = lead.get(report_url(post), follow=True)

    assert report_url(post) not in page
    assert "do not say which platform they came from" in response.content.decode()
    assert not PlatformReport.objects.exists()
