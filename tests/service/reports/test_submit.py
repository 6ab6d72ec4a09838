"""Sending reports to local replay servers of Bluesky's XRPC and Mastodon's REST API: the
exact requests the platforms receive, and refusals named."""

from __future__ import annotations

import json

import pytest
from ingest.follow.fake_servers import Reply

from tropewatch.reports.draft import InstanceRule, Notifier, PostFacts, draft_report
from tropewatch.reports.submit import (
    MastodonServer,
    SubmissionError,
    bluesky_cid,
    submit_bluesky,
)

from .replay import (
    MASTODON_INSTANCE,
    POST_CID,
    POST_URI,
    create_report,
    create_session,
    mastodon_report,
    mastodon_search,
)

CREATE_SESSION = "/xrpc/com.atproto.server.createSession"
CREATE_REPORT = "/xrpc/com.atproto.moderation.createReport"
HATE = "tools.ozone.report.defs#reasonHarassmentHateSpeech"


@pytest.fixture
def server(replay_server):
    return replay_server


def a_draft(platform: str, categories=("power_control",), rules=()):
    post = PostFacts(platform=platform, url="https://remote.example/@poster/77",
                     text="The Jews control the media.", author_handle="poster")
    return draft_report(post, list(categories), [], "e" * 64, Notifier(org_name="Group"),
                        instance="social.example", instance_rules=list(rules))


def test_bluesky_logs_in_with_the_app_password_and_reports_the_post(server):
    server.route(CREATE_SESSION, lambda request: create_session(), method="POST")
    server.route(CREATE_REPORT, lambda request: create_report(HATE), method="POST")
    draft = a_draft("bluesky")

    reference = submit_bluesky(service=server.url, handle="group.example",
                               app_password="abcd-efgh-ijkl-mnop", uri=POST_URI, cid=POST_CID,
                               draft=draft)

    assert reference == "4711"
    assert [r.path for r in server.requests] == [CREATE_SESSION, CREATE_REPORT]
    login = json.loads(server.requests[0].body)
    assert login == {"identifier": "group.example", "password": "abcd-efgh-ijkl-mnop"}
    report = server.requests[1]
    assert report.headers["Authorization"].startswith("Bearer ")
    assert json.loads(report.body) == {
        "reasonType": HATE,
        "subject": {"$type": "com.atproto.repo.strongRef", "uri": POST_URI, "cid": POST_CID},
        "reason": draft.text,
    }


def test_bluesky_incitement_is_reported_as_a_threat(server):
    threats = "tools.ozone.report.defs#reasonViolenceThreats"
    server.route(CREATE_SESSION, lambda request: create_session(), method="POST")
    server.route(CREATE_REPORT, lambda request: create_report(threats), method="POST")

    submit_bluesky(service=server.url, handle="g", app_password="p", uri=POST_URI, cid=POST_CID,
                   draft=a_draft("bluesky", ["incitement_violence"]))

    assert json.loads(server.requests_to(CREATE_REPORT)[0].body)["reasonType"] == threats


def test_a_refused_bluesky_login_is_named_and_nothing_is_reported(server):
    server.route(CREATE_SESSION, lambda request: Reply(401, {
        "error": "AuthenticationRequired", "message": "Invalid identifier or password"}),
        method="POST")

    with pytest.raises(SubmissionError, match="HTTP 401 Invalid identifier or password"):
        submit_bluesky(service=server.url, handle="g", app_password="wrong", uri=POST_URI,
                       cid=POST_CID, draft=a_draft("bluesky"))
    assert not server.requests_to(CREATE_REPORT)


def test_a_bluesky_post_without_its_cid_is_not_sent(server):
    with pytest.raises(SubmissionError, match="CID was not imported"):
        submit_bluesky(service=server.url, handle="g", app_password="p", uri=POST_URI, cid="",
                       draft=a_draft("bluesky"))
    assert server.requests == []


@pytest.mark.parametrize("raw", [
    {"uri": POST_URI, "cid": POST_CID},  # a post view or listRecords entry
    {"post": {"uri": POST_URI, "cid": POST_CID}},  # a feed item
    {"did": "x", "commit": {"cid": POST_CID}},  # a Jetstream event
])
def test_the_cid_is_found_in_every_imported_shape(raw):
    assert bluesky_cid(raw) == POST_CID


def test_mastodon_rules_come_from_the_instance(server):
    server.route("/api/v1/instance", lambda request: Reply(body=MASTODON_INSTANCE))

    rules = MastodonServer(server.url).rules()

    assert rules[1] == InstanceRule(
        "2", "No racism, sexism, homophobia, transphobia or antisemitism.")


def test_mastodon_finds_the_post_then_reports_it_with_rules_and_forwarding(server):
    server.route("/api/v2/search", lambda request: mastodon_search())
    server.route("/api/v1/reports", lambda request: mastodon_report(), method="POST")
    rules = [InstanceRule("2", "No racism or antisemitism.")]
    draft = a_draft("mastodon", rules=rules)

    reference = MastodonServer(server.url, "token-123").report(
        "https://remote.example/@poster/77", draft, ["2"])

    assert reference == "5150"
    search, report = server.requests
    assert search.query == {"q": ["https://remote.example/@poster/77"], "type": ["statuses"],
                            "resolve": ["true"], "limit": ["1"]}
    assert report.headers["Authorization"] == "Bearer token-123"
    assert json.loads(report.body) == {
        "account_id": "109000000000000042",
        "status_ids": ["110000000000000001"],
        "comment": draft.short_text,
        "category": "violation",
        "rule_ids": ["2"],
        "forward": True,
    }


def test_mastodon_without_rules_reports_as_other(server):
    server.route("/api/v2/search", lambda request: mastodon_search())
    server.route("/api/v1/reports", lambda request: mastodon_report(), method="POST")

    MastodonServer(server.url, "t").report("https://remote.example/@poster/77",
                                           a_draft("mastodon"), [])

    assert json.loads(server.requests_to("/api/v1/reports")[0].body)["category"] == "other"


def test_mastodon_says_when_the_post_cannot_be_found(server):
    server.route("/api/v2/search", lambda request: Reply(body={"statuses": []}))

    with pytest.raises(SubmissionError, match="cannot find the post"):
        MastodonServer(server.url, "t").report("https://gone.example/1", a_draft("mastodon"), [])
    assert not server.requests_to("/api/v1/reports")


def test_a_refused_mastodon_report_names_the_endpoint_and_status(server):
    server.route("/api/v2/search", lambda request: mastodon_search())
    server.route("/api/v1/reports", lambda request: Reply(422, {
        "error": "Validation failed: Rule ids is invalid"}), method="POST")

    refusal = r"POST http://127.0.0.1:\d+/api/v1/reports: HTTP 422 .*Rule ids is invalid"
    with pytest.raises(SubmissionError, match=refusal):
        MastodonServer(server.url, "t").report("https://remote.example/@poster/77",
                                               a_draft("mastodon"), ["99"])
