"""The atproto-SDK connector against a local XRPC server replaying documented responses."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from fake_servers import LocalHTTPServer, Reply, SeenRequest, fixture_json, in_order

from tropewatch.ingest.follow.bluesky import (
    SEARCH_OVERLAP,
    author_feed,
    make_client,
    search_posts,
)
from tropewatch.ingest.follow.cursor import FileCursorStore
from tropewatch.ingest.follow.errors import LiveSourceError
from tropewatch.ingest.records import PostRecord, RecordError

SEARCH = "/xrpc/app.bsky.feed.searchPosts"
AUTHOR_FEED = "/xrpc/app.bsky.feed.getAuthorFeed"
WATCHER = "did:plc:4xg6yqfh3jwgpzqmbnfdu2ac"


def by_cursor(pages: dict[str | None, object]):
    """An XRPC list method: the page for the request's ``cursor`` parameter."""

    def handle(request: SeenRequest) -> Reply:
        return Reply(body=pages[request.param("cursor")])

    return handle


def serve_search(server: LocalHTTPServer) -> None:
    pages = {
        None: fixture_json("bluesky/search_page1.json"),
        "3": fixture_json("bluesky/search_page2.json"),
    }
    server.route(SEARCH, by_cursor(pages))


def serve_author_feed(server: LocalHTTPServer) -> None:
    first = fixture_json("bluesky/author_feed_page1.json")
    pages = {None: first, first["cursor"]: fixture_json("bluesky/author_feed_page2.json")}
    server.route(AUTHOR_FEED, by_cursor(pages))


def fake_jwt(did: str) -> str:
    """Shaped like the PDS's access token: the SDK reads its expiry to decide on refreshing."""

    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    claims = {"scope": "com.atproto.appPass", "sub": did, "exp": int(time.time()) + 3600}
    return f"{part({'alg': 'ES256K', 'typ': 'at+jwt'})}.{part(claims)}.c2lnbmF0dXJl"


def test_search_follows_the_cursor_and_drops_a_post_repeated_on_the_next_page(local_server):
    serve_search(local_server)

    results = list(search_posts(make_client(local_server.url), "globalists"))

    posts = [item for item in results if isinstance(item, PostRecord)]
    assert [post.platform_id for post in posts] == [
        f"at://{WATCHER}/app.bsky.feed.post/3lbtlk4ksp22a",
        "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3lbtl7pr7d22c",
        f"at://{WATCHER}/app.bsky.feed.post/3lbtk2zzqwe2b",
    ]
    first, reply = posts[0], posts[1]
    assert first.author.handle == "watcher.bsky.social"
    assert first.reach == {"likes": 7, "shares": 1, "replies": 2}
    assert first.url == "https://bsky.app/profile/watcher.bsky.social/post/3lbtlk4ksp22a"
    assert reply.parent_platform_id == f"at://{WATCHER}/app.bsky.feed.post/3lbtkzzzzz22a"
    assert first.raw["cid"] == "bafyreihl5tmc7zkz2bwquh3gsjw6dmyvxvbx7axyp2igw2xg6skgbnnvla"

    requests = local_server.requests_to(SEARCH)
    assert [request.param("cursor") for request in requests] == [None, "3"]
    assert requests[0].param("q") == "globalists"
    assert requests[0].param("sort") == "latest"
    assert requests[0].param("limit") == "100"


def test_search_passes_over_a_post_of_only_an_image_and_keeps_the_others(local_server):
    serve_search(local_server)

    results = list(search_posts(make_client(local_server.url), "globalists"))

    errors = [item for item in results if isinstance(item, RecordError)]
    assert len(errors) == 1
    assert errors[0].kind == "media_only"  # an image with no words: skipped, not damaged
    assert errors[0].is_skip
    assert errors[0].record == 3
    assert "app.bsky.feed.searchPosts" in errors[0].source
    assert local_server.url in errors[0].source


def test_search_stops_at_the_limit_without_asking_for_another_page(local_server):
    serve_search(local_server)

    results = list(search_posts(make_client(local_server.url), "globalists", limit=2))

    assert sum(isinstance(item, PostRecord) for item in results) == 2
    assert len(local_server.requests_to(SEARCH)) == 1


def test_search_stores_the_newest_post_time_and_resumes_from_it(local_server, tmp_path):
    serve_search(local_server)
    store = FileCursorStore(tmp_path / "cursors.json")
    client = make_client(local_server.url)

    list(search_posts(client, "globalists", cursor_store=store))
    # sortAt of the newest hit: its createdAt, which is earlier than its indexedAt
    newest = datetime(2024, 11, 28, 18, 4, 41, 123000, tzinfo=UTC)
    assert store.get("bluesky:search:globalists") == newest.isoformat()

    list(search_posts(client, "globalists", cursor_store=store))
    resumed = local_server.requests_to(SEARCH)[-2]
    assert resumed.param("cursor") is None
    assert datetime.fromisoformat(resumed.param("since")) == newest - SEARCH_OVERLAP


def test_search_cut_short_does_not_move_a_stored_cursor(local_server, tmp_path):
    serve_search(local_server)
    store = FileCursorStore(tmp_path / "cursors.json")
    earlier = "2024-11-28T17:00:00+00:00"
    store.set("bluesky:search:globalists", earlier)

    list(search_posts(make_client(local_server.url), "globalists", limit=1, cursor_store=store))

    assert store.get("bluesky:search:globalists") == earlier


def test_author_feed_leaves_out_reposts_and_follows_the_cursor(local_server):
    serve_author_feed(local_server)

    results = list(author_feed(make_client(local_server.url), "watcher.bsky.social"))

    assert [item.platform_id for item in results] == [
        f"at://{WATCHER}/app.bsky.feed.post/3lbtlk4ksp22a",
        f"at://{WATCHER}/app.bsky.feed.post/3lbtiyfwq3k2a",
        f"at://{WATCHER}/app.bsky.feed.post/3lbsz6lhgyk2s",
    ]
    reply = results[1]
    assert (
        reply.thread_root_id
        == "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3lbtjxq6kbc2c"
    )
    first = local_server.requests_to(AUTHOR_FEED)[0]
    assert first.param("actor") == "watcher.bsky.social"
    assert first.param("filter") == "posts_with_replies"


def test_author_feed_includes_reposts_when_asked(local_server):
    serve_author_feed(local_server)

    results = list(
        author_feed(make_client(local_server.url), "watcher.bsky.social", include_reposts=True)
    )

    reposted = [item for item in results if item.author.platform_id != WATCHER]
    assert [item.author.handle for item in reposted] == ["replier.example.com"]


def test_author_feed_stops_at_the_first_post_older_than_since(local_server):
    serve_author_feed(local_server)
    since = datetime(2024, 11, 28, 17, 30, tzinfo=UTC)

    results = list(author_feed(make_client(local_server.url), "watcher.bsky.social", since=since))

    assert [item.platform_id for item in results] == [
        f"at://{WATCHER}/app.bsky.feed.post/3lbtlk4ksp22a"
    ]
    assert len(local_server.requests_to(AUTHOR_FEED)) == 1


def test_login_sends_the_access_token_with_every_call(local_server):
    token = fake_jwt(WATCHER)
    session = {
        "did": WATCHER,
        "handle": "watcher.bsky.social",
        "accessJwt": token,
        "refreshJwt": fake_jwt(WATCHER),
        "active": True,
    }
    local_server.route(
        "/xrpc/com.atproto.server.createSession", in_order(Reply(body=session)), "POST"
    )
    profile = {"did": WATCHER, "handle": "watcher.bsky.social"}
    local_server.route("/xrpc/app.bsky.actor.getProfile", lambda request: Reply(body=profile))
    serve_search(local_server)

    client = make_client(local_server.url, handle="watcher.bsky.social", app_password="abcd-efgh")
    list(search_posts(client, "globalists"))

    login = local_server.requests_to("/xrpc/com.atproto.server.createSession")[0]
    assert json.loads(login.body) == {"identifier": "watcher.bsky.social", "password": "abcd-efgh"}
    searches = local_server.requests_to(SEARCH)
    assert len(searches) == 2  # the two pages of search results
    assert all(request.headers["Authorization"] == f"Bearer {token}" for request in searches)


def test_an_anonymous_client_sends_no_credentials(local_server):
    serve_search(local_server)

    list(search_posts(make_client(local_server.url), "globalists"))

    assert [request.path for request in local_server.requests] == [SEARCH, SEARCH]
    assert all("Authorization" not in request.headers for request in local_server.requests)


def test_a_failed_login_names_the_method_and_the_server(local_server):
    refusal = Reply(401, {"error": "AuthenticationRequired", "message": "Invalid identifier"})
    local_server.route("/xrpc/com.atproto.server.createSession", in_order(refusal), "POST")

    with pytest.raises(LiveSourceError, match="createSession") as failure:
        make_client(local_server.url, handle="watcher.bsky.social", app_password="wrong")

    assert local_server.url in str(failure.value)


def test_login_needs_both_handle_and_app_password():
    with pytest.raises(ValueError, match="both"):
        make_client("http://127.0.0.1:9", handle="watcher.bsky.social")


@pytest.mark.parametrize(
    "reply",
    [
        Reply(body={"cursor": "3", "posts": {"not": "a list"}}),
        Reply(body=["a", "list"]),
        Reply(body=b"<html>maintenance</html>", headers={"Content-Type": "text/html"}),
        Reply(body={"posts": [], "cursor": 3}),
    ],
    ids=["posts-not-a-list", "not-an-object", "html", "cursor-not-a-string"],
)
def test_a_malformed_answer_raises_an_error_naming_the_endpoint(local_server, reply):
    local_server.route(SEARCH, in_order(reply))

    with pytest.raises(LiveSourceError, match="app.bsky.feed.searchPosts") as failure:
        list(search_posts(make_client(local_server.url), "globalists"))

    assert local_server.url in str(failure.value)


def test_an_error_status_raises_an_error_naming_the_endpoint(local_server):
    local_server.route(
        SEARCH, in_order(Reply(400, {"error": "InvalidRequest", "message": "q is too long"}))
    )

    with pytest.raises(LiveSourceError, match="searchPosts.*q is too long"):
        list(search_posts(make_client(local_server.url), "globalists"))


def test_search_refuses_a_naive_since():
    with pytest.raises(ValueError, match="timezone"):
        list(search_posts(make_client("http://127.0.0.1:9"), "x", since=datetime(2024, 1, 1)))


def test_search_passes_since_to_the_server(local_server):
    serve_search(local_server)
    since = datetime.now(UTC) - timedelta(days=1)

    list(search_posts(make_client(local_server.url), "globalists", since=since))

    assert local_server.requests_to(SEARCH)[0].param("since") == since.isoformat()


def test_an_unreachable_server_is_reported_with_its_address():
    with pytest.raises(LiveSourceError, match=r"127\.0\.0\.1:9.*Connection refused"):
        list(search_posts(make_client("http://127.0.0.1:9"), "globalists"))
