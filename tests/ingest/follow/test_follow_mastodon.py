"""The Mastodon REST connector against a local server replaying documented responses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fake_servers import LocalHTTPServer, Reply, SeenRequest, fixture_json, in_order

from tropewatch.ingest.follow.cursor import FileCursorStore
from tropewatch.ingest.follow.errors import LiveSourceError
from tropewatch.ingest.follow.mastodon import (
    MastodonClient,
    account_statuses,
    lookup_account_id,
    tag_timeline,
)
from tropewatch.ingest.records import PostRecord, RecordError

TAG = "/api/v1/timelines/tag/antisemitism"
WATCHER_ID = "109311212345678901"
STATUSES = f"/api/v1/accounts/{WATCHER_ID}/statuses"
NEWEST = "113562417389125000"
ALL_IDS = [NEWEST, "113562401122334455", "113562390000000001", "113562300000000009"]
CURSOR_KEY = "tag:antisemitism"


def paged(server: LocalHTTPServer, path: str, pages: list[list[dict]]):
    """A Mastodon list endpoint: pages chained by ``max_id``, each (but the empty last one)
    with the Link header Mastodon sends, which (as Mastodon does) carries no ``since_id``."""
    by_max_id = {None: pages[0]}
    by_max_id |= {page[-1]["id"]: after for page, after in zip(pages, pages[1:], strict=False)}

    def handle(request: SeenRequest) -> Reply:
        page = by_max_id[request.param("max_id")]
        if not page:
            return Reply(body=page)
        base = f"{server.url}{path}?limit={request.param('limit')}"
        older, newer = f"{base}&max_id={page[-1]['id']}", f"{base}&min_id={page[0]['id']}"
        link = f'<{older}>; rel="next", <{newer}>; rel="prev"'
        return Reply(body=page, headers={"Link": link})

    return handle


def serve_tag(server: LocalHTTPServer) -> None:
    pages = [fixture_json("mastodon/tag_page1.json"), fixture_json("mastodon/tag_page2.json"), []]
    server.route(TAG, paged(server, TAG, pages))


def posts(results: list[PostRecord | RecordError]) -> list[PostRecord]:
    return [item for item in results if isinstance(item, PostRecord)]


def test_tag_timeline_follows_next_links_until_an_empty_page(local_server):
    serve_tag(local_server)

    with MastodonClient(local_server.url) as client:
        results = list(tag_timeline(client, "#antisemitism"))

    assert [post.platform_id for post in posts(results)] == ALL_IDS
    assert len(results) == len(ALL_IDS)
    first = results[0]
    assert first.platform == "mastodon"
    assert "<" not in first.text and "wave today & tomorrow" in first.text
    assert first.author.handle is not None
    requests = local_server.requests_to(TAG)
    assert [request.param("max_id") for request in requests] == [
        None,
        "113562401122334455",
        "113562300000000009",
    ]
    assert all(request.param("limit") == "40" for request in requests)


def test_since_id_is_kept_on_every_page_though_the_next_links_drop_it(local_server):
    serve_tag(local_server)

    with MastodonClient(local_server.url) as client:
        list(tag_timeline(client, "antisemitism", since_id="113562000000000000"))

    assert [request.param("since_id") for request in local_server.requests_to(TAG)] == [
        "113562000000000000"
    ] * 3


def test_the_newest_id_becomes_the_next_runs_since_id(local_server, tmp_path):
    serve_tag(local_server)
    store = FileCursorStore(tmp_path / "cursors.json")

    with MastodonClient(local_server.url) as client:
        list(tag_timeline(client, "antisemitism", cursor_store=store, cursor_key=CURSOR_KEY))
        assert store.get(CURSOR_KEY) == NEWEST
        list(tag_timeline(client, "antisemitism", cursor_store=store, cursor_key=CURSOR_KEY))

    assert local_server.requests_to(TAG)[-3].param("since_id") == NEWEST


def test_a_first_run_cut_short_by_the_limit_still_stores_its_newest_id(local_server, tmp_path):
    serve_tag(local_server)
    store = FileCursorStore(tmp_path / "cursors.json")

    with MastodonClient(local_server.url) as client:
        results = list(
            tag_timeline(client, "antisemitism", limit=1, cursor_store=store, cursor_key=CURSOR_KEY)
        )

    assert [post.platform_id for post in posts(results)] == [NEWEST]
    assert store.get(CURSOR_KEY) == NEWEST
    assert len(local_server.requests_to(TAG)) == 1


def test_a_resumed_run_cut_short_leaves_the_cursor_where_it_was(local_server, tmp_path):
    serve_tag(local_server)
    store = FileCursorStore(tmp_path / "cursors.json")
    store.set(CURSOR_KEY, "113562000000000000")

    with MastodonClient(local_server.url) as client:
        list(
            tag_timeline(client, "antisemitism", limit=3, cursor_store=store, cursor_key=CURSOR_KEY)
        )

    assert store.get(CURSOR_KEY) == "113562000000000000"


def test_the_access_token_goes_in_the_authorization_header(local_server):
    serve_tag(local_server)

    with MastodonClient(local_server.url, access_token="s3cret-token") as client:
        list(tag_timeline(client, "antisemitism"))

    # two pages of statuses and the empty page that ends the timeline
    assert [request.path for request in local_server.requests] == [TAG] * 3
    assert all(
        request.headers["Authorization"] == "Bearer s3cret-token"
        for request in local_server.requests
    )


def test_without_a_token_no_authorization_header_is_sent(local_server):
    serve_tag(local_server)

    with MastodonClient(local_server.url) as client:
        list(tag_timeline(client, "antisemitism"))

    assert [request.path for request in local_server.requests] == [TAG] * 3
    assert all("Authorization" not in request.headers for request in local_server.requests)


def test_a_429_is_retried_after_the_retry_after_seconds(local_server):
    limited = Reply(429, {"error": "Too many requests"}, {"Retry-After": "7"})
    local_server.route(TAG, in_order(limited, Reply(body=fixture_json("mastodon/tag_page2.json"))))
    waits: list[float] = []

    with MastodonClient(local_server.url, sleep=waits.append) as client:
        results = list(tag_timeline(client, "antisemitism"))

    assert waits == [7.0]
    assert len(posts(results)) == 2
    assert len(local_server.requests_to(TAG)) == 2


def test_a_429_waits_until_the_rate_limit_reset_time(local_server):
    reset = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2024-11-28T18:05:30.000Z"}
    local_server.route(
        TAG, in_order(Reply(429, {"error": "Too many requests"}, reset), Reply(body=[]))
    )
    waits: list[float] = []
    now = datetime(2024, 11, 28, 18, 5, 0, tzinfo=UTC)

    with MastodonClient(local_server.url, sleep=waits.append, now=lambda: now) as client:
        list(tag_timeline(client, "antisemitism"))

    assert waits == [30.0]


def test_a_rate_limit_longer_than_the_client_waits_fails_naming_the_endpoint(local_server):
    limited = Reply(429, {"error": "Too many requests"}, {"Retry-After": "3600"})
    local_server.route(TAG, in_order(limited))
    waits: list[float] = []

    with MastodonClient(local_server.url, sleep=waits.append, max_rate_limit_wait=300) as client:
        with pytest.raises(LiveSourceError, match="429") as failure:
            list(tag_timeline(client, "antisemitism"))

    assert f"GET {local_server.url}{TAG}" in str(failure.value)
    assert waits == []


def test_rate_limit_retries_are_bounded(local_server):
    limited = Reply(429, {"error": "Too many requests"}, {"Retry-After": "1"})
    local_server.route(TAG, in_order(limited, limited, limited))
    waits: list[float] = []

    with MastodonClient(local_server.url, sleep=waits.append, max_rate_limit_retries=2) as client:
        with pytest.raises(LiveSourceError, match="rate limited"):
            list(tag_timeline(client, "antisemitism"))

    assert waits == [1.0, 1.0]


@pytest.mark.parametrize(
    ("reply", "complaint"),
    [
        (Reply(body={"statuses": []}), "expected a JSON array"),
        (
            Reply(body=b"<html>down for maintenance</html>", headers={"Content-Type": "text/html"}),
            "not JSON",
        ),
        (Reply(404, {"error": "Record not found"}), "HTTP 404: Record not found"),
    ],
    ids=["object", "html", "not-found"],
)
def test_a_malformed_or_failed_answer_raises_an_error_naming_the_endpoint(
    local_server, reply, complaint
):
    local_server.route(TAG, in_order(reply))

    with MastodonClient(local_server.url) as client:
        with pytest.raises(LiveSourceError, match=complaint) as failure:
            list(tag_timeline(client, "antisemitism"))

    assert f"GET {local_server.url}{TAG}" in str(failure.value)


def test_a_bad_status_is_reported_and_the_page_goes_on(local_server):
    page = fixture_json("mastodon/tag_page2.json")
    del page[0]["id"]
    local_server.route(TAG, in_order(Reply(body=page), Reply(body=[])))

    with MastodonClient(local_server.url) as client:
        results = list(tag_timeline(client, "antisemitism"))

    [error] = [item for item in results if isinstance(item, RecordError)]
    assert error.record == 1
    assert TAG in error.source
    assert [post.platform_id for post in posts(results)] == ["113562300000000009"]


def test_a_next_link_to_another_server_is_not_followed(local_server):
    link = '<https://elsewhere.example/api/v1/timelines/tag/antisemitism?max_id=1>; rel="next"'
    page = fixture_json("mastodon/tag_page1.json")
    local_server.route(TAG, in_order(Reply(body=page, headers={"Link": link})))

    with MastodonClient(local_server.url, access_token="s3cret-token") as client:
        with pytest.raises(LiveSourceError, match="leaves the server"):
            list(tag_timeline(client, "antisemitism"))


def test_account_statuses_leave_out_boosts_by_default(local_server):
    pages = [fixture_json("mastodon/account_statuses.json"), []]
    local_server.route(STATUSES, paged(local_server, STATUSES, pages))

    with MastodonClient(local_server.url) as client:
        results = list(account_statuses(client, WATCHER_ID))

    assert [post.platform_id for post in posts(results)] == [NEWEST, "113562390000000001"]
    assert results[1].parent_platform_id is not None
    first = local_server.requests_to(STATUSES)[0]
    assert first.param("exclude_reblogs") == "true"
    assert first.param("exclude_replies") is None


def test_an_account_id_is_looked_up_from_its_handle(local_server):
    account = fixture_json("mastodon/account.json")
    local_server.route("/api/v1/accounts/lookup", in_order(Reply(body=account)))

    with MastodonClient(local_server.url) as client:
        assert lookup_account_id(client, "@watcher") == WATCHER_ID

    assert local_server.requests[0].param("acct") == "watcher"


def test_the_base_url_must_be_http():
    with pytest.raises(ValueError, match="http"):
        MastodonClient("mastodon.example")
