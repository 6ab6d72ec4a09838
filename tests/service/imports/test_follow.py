"""``tropewatch follow``: live connectors into the database, against the local replay servers
of the connector tests (127.0.0.1 only), with cursors kept in LiveCursor rows."""

from __future__ import annotations

import base64
import json
import socket
import time
from collections.abc import Iterator
from contextlib import nullcontext
from datetime import datetime

import pytest
import typer
from cli.helpers import flat
from ingest.follow.fake_servers import (
    LocalHTTPServer,
    LocalJetstream,
    Reply,
    SeenRequest,
    fixture_json,
    in_order,
    jetstream_events,
    refuse_non_loopback,
)
from typer.testing import CliRunner

from tropewatch.cli import follow as follow_cli
from tropewatch.imports import follow as follow_import
from tropewatch.imports.follow import DatabaseCursorStore, follow, stored_key
from tropewatch.imports.models import CURSOR_KEY_LENGTH, LiveCursor
from tropewatch.ingest.bluesky.posts import jetstream_event_to_record
from tropewatch.ingest.follow.bluesky import SEARCH_OVERLAP
from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import Detection, Post, Source

SEARCH = "/xrpc/app.bsky.feed.searchPosts"
AUTHOR_FEED = "/xrpc/app.bsky.feed.getAuthorFeed"
TAG = "/api/v1/timelines/tag/antisemitism"
FLAGGED_TEXT = "Jews control the media and the banks."
WATCHER = "did:plc:4xg6yqfh3jwgpzqmbnfdu2ac"
NEWEST_HIT = f"at://{WATCHER}/app.bsky.feed.post/3lbtlk4ksp22a"
NEWEST_STATUS = "113562417389125000"


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    refuse_non_loopback(monkeypatch)


@pytest.fixture
def server() -> Iterator[LocalHTTPServer]:
    local = LocalHTTPServer()
    local.start()
    yield local
    local.stop()


@pytest.fixture
def jetstream() -> Iterator[LocalJetstream]:
    local = LocalJetstream(jetstream_events())
    local.start()
    yield local
    local.stop()


@pytest.fixture
def cli(org):
    """The follow commands, run without --org: the one organisation there is takes the posts."""
    app = typer.Typer()
    follow_cli.register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["follow", *(str(arg) for arg in args)])


def only_org() -> Organisation:
    return Organisation.objects.get()


@pytest.fixture
def refused_port() -> int:
    """A loopback port nothing listens on: bound, then closed, so connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_search(server: LocalHTTPServer, flagged: bool = True) -> None:
    """The search fixture pages, with the newest hit saying something antisemitic."""
    first = fixture_json("bluesky/search_page1.json")
    if flagged:
        first["posts"][0]["record"]["text"] = FLAGGED_TEXT
    pages = {None: first, "3": fixture_json("bluesky/search_page2.json")}
    server.route(SEARCH, lambda request: Reply(body=pages[request.param("cursor")]))


def verdicts() -> dict[str, bool]:
    return dict(Detection.objects.values_list("post__platform_id", "antisemitic"))


def test_bluesky_search_stores_each_post_once_with_its_detection(cli, server):
    serve_search(server)

    result = cli("bluesky-search", "globalists", "--source", "Search", "--base-url", server.url)

    assert result.exit_code == 0, result.output
    # three posts, one repeated on the second page, and one of only an image
    assert ("4 records: 3 new, 0 updated, 1 skipped (unchanged: 0, media only: 1), 0 errors"
            in flat(result.stderr))
    assert "error:" not in result.stderr
    assert Post.objects.for_org(only_org()).count() == 3
    found = verdicts()
    assert len(found) == 3
    assert found.pop(NEWEST_HIT) is True
    assert set(found.values()) == {False}
    source = Source.objects.get()
    assert (source.name, source.platform, source.kind) == ("Search", "bluesky", "feed")


def test_a_second_bluesky_search_resumes_from_its_cursor_without_duplicates(cli, server):
    serve_search(server)
    cli("bluesky-search", "globalists", "--source", "Search", "--base-url", server.url)
    newest = datetime.fromisoformat(LiveCursor.objects.get(key="bluesky:search:globalists").value)
    assert newest == datetime.fromisoformat("2024-11-28T18:04:41.123Z")

    result = cli("bluesky-search", "globalists", "--source", "Search", "--base-url", server.url)

    assert result.exit_code == 0, result.output
    assert "0 new, 0 updated, 4 skipped (unchanged: 3, media only: 1)" in flat(result.stderr)
    resumed = server.requests_to(SEARCH)[-2]  # the first page of the second run
    assert resumed.param("cursor") is None
    assert datetime.fromisoformat(resumed.param("since")) == newest - SEARCH_OVERLAP
    assert Post.objects.count() == 3
    assert Detection.objects.count() == 3


def test_a_search_failing_part_way_keeps_the_posts_read_and_leaves_no_cursor(cli, server):
    first = fixture_json("bluesky/search_page1.json")
    server.route(SEARCH, in_order(Reply(body=first), Reply(502, {"error": "UpstreamFailure"})))

    result = cli("bluesky-search", "globalists", "--source", "Search", "--base-url", server.url)

    assert result.exit_code == 2
    assert "2 new" in result.stderr
    assert "app.bsky.feed.searchPosts at http://127.0.0.1" in result.stderr
    assert "request failed: 502" in result.stderr
    assert "the posts read before the fault are stored" in result.stderr
    assert Post.objects.count() == 2
    # the second page was never read, so the next run must not start after the first one
    assert not LiveCursor.objects.exists()


def access_token() -> str:
    """Shaped like a PDS access token: the SDK reads its expiry to decide on refreshing."""

    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    claims = {"scope": "com.atproto.appPass", "sub": WATCHER, "exp": int(time.time()) + 3600}
    return f"{part({'alg': 'ES256K', 'typ': 'at+jwt'})}.{part(claims)}.c2lnbmF0dXJl"


def test_bluesky_login_takes_the_app_password_from_the_named_variable(cli, server, monkeypatch):
    token = access_token()
    session = {"did": WATCHER, "handle": "watcher.bsky.social", "accessJwt": token,
               "refreshJwt": access_token(), "active": True}
    server.route("/xrpc/com.atproto.server.createSession", in_order(Reply(body=session)), "POST")
    profile = {"did": WATCHER, "handle": "watcher.bsky.social"}
    server.route("/xrpc/app.bsky.actor.getProfile", lambda request: Reply(body=profile))
    serve_search(server)
    monkeypatch.setenv("WATCHER_PASSWORD", "abcd-efgh-ijkl-mnop")

    result = cli(
        "bluesky-search", "globalists", "--source", "Search", "--base-url", server.url,
        "--handle", "watcher.bsky.social", "--app-password-env", "WATCHER_PASSWORD",
    )

    assert result.exit_code == 0, result.output
    login = server.requests_to("/xrpc/com.atproto.server.createSession")[0]
    assert json.loads(login.body)["password"] == "abcd-efgh-ijkl-mnop"
    assert server.requests_to(SEARCH)[0].headers["Authorization"] == f"Bearer {token}"
    assert "abcd-efgh-ijkl-mnop" not in result.output


def test_a_login_without_its_password_variable_stops_before_any_request(cli, server):
    result = cli(
        "bluesky-search", "globalists", "--source", "Search", "--base-url", server.url,
        "--handle", "watcher.bsky.social", "--app-password-env", "UNSET_TEST_VARIABLE",
    )

    assert result.exit_code == 2
    assert "environment variable UNSET_TEST_VARIABLE is not set" in result.stderr
    assert server.requests == []


def test_bluesky_feed_stores_the_accounts_own_posts_and_resumes(cli, server):
    first = fixture_json("bluesky/author_feed_page1.json")
    pages = {None: first, first["cursor"]: fixture_json("bluesky/author_feed_page2.json")}
    server.route(AUTHOR_FEED, lambda request: Reply(body=pages[request.param("cursor")]))
    actor = "watcher.bsky.social"

    result = cli("bluesky-feed", actor, "--source", "Watcher", "--base-url", server.url)
    again = cli("bluesky-feed", actor, "--source", "Watcher", "--base-url", server.url)

    assert result.exit_code == 0, result.output
    assert "3 new" in result.stderr  # the repost is someone else's post and is left out
    assert set(Post.objects.values_list("author__platform_id", flat=True)) == {WATCHER}
    source = Source.objects.get()
    assert (source.kind, source.url) == ("account", f"https://bsky.app/profile/{actor}")
    # the second run stops at the newest post it already has: one page, nothing new
    assert again.exit_code == 0, again.output
    assert "0 new" in again.stderr
    assert len(server.requests_to(AUTHOR_FEED)) == 3
    assert Post.objects.count() == 3


def created_posts() -> list[dict]:
    return [
        event for event in jetstream_events()
        if event["kind"] == "commit"
        and event["commit"]["collection"] == "app.bsky.feed.post"
        and event["commit"]["operation"] == "create"
    ]


def test_jetstream_stores_the_created_posts_and_persists_time_us(cli, jetstream):
    events = jetstream_events()

    result = cli(
        "jetstream", "--source", "Firehose", "--url", jetstream.url,
        "--max-events", len(events), "--batch-size", 2,
    )

    assert result.exit_code == 0, result.output
    with_text = [event for event in created_posts() if event["commit"]["record"]["text"]]
    assert f"{len(with_text)} new, 0 updated, 0 skipped, 1 errors" in result.stderr
    stored = set(Post.objects.values_list("platform_id", flat=True))
    assert stored == {
        f"at://{event['did']}/app.bsky.feed.post/{event['commit']['rkey']}"
        for event in with_text
    }
    assert Detection.objects.count() == len(with_text)
    state = json.loads(LiveCursor.objects.get(key="bluesky:jetstream").value)
    assert state["time_us"] == events[-1]["time_us"]


def test_a_second_jetstream_run_resumes_from_the_stored_cursor(cli, jetstream):
    events = jetstream_events()
    cli("jetstream", "--source", "Firehose", "--url", jetstream.url, "--max-events", len(events))

    result = cli("jetstream", "--source", "Firehose", "--url", jetstream.url, "--timeout", 1)

    assert result.exit_code == 0, result.output
    assert "0 records" in result.stderr  # the rewound posts are recognised, not stored again
    assert jetstream.cursors()[-1] == events[-1]["time_us"] - 5_000_000
    assert Post.objects.count() == len(created_posts()) - 1


def test_jetstream_for_some_accounts_keeps_a_cursor_of_its_own(cli, jetstream):
    dids = "did:plc:ewvi7nxzyoun6zhxrhs64oiz,did:plc:4xg6yqfh3jwgpzqmbnfdu2ac"

    result = cli(
        "jetstream", "--source", "Two accounts", "--url", jetstream.url, "--dids", dids,
        "--max-events", len(jetstream_events()),
    )

    assert result.exit_code == 0, result.output
    assert "wantedDids=did%3Aplc%3Aewvi7nxzyoun6zhxrhs64oiz" in jetstream.paths[0]
    key = "bluesky:jetstream:did:plc:4xg6yqfh3jwgpzqmbnfdu2ac,did:plc:ewvi7nxzyoun6zhxrhs64oiz"
    assert LiveCursor.objects.filter(key=key).exists()
    assert not LiveCursor.objects.filter(key="bluesky:jetstream").exists()


def test_jetstream_refuses_a_did_list_with_something_else_in_it(cli):
    result = cli("jetstream", "--source", "S", "--dids", "did:plc:abc,@someone.bsky.social")

    assert result.exit_code == 2
    assert "'@someone.bsky.social' is not a DID" in result.stderr


def test_jetstream_refuses_a_url_that_is_not_a_websocket(cli):
    result = cli("jetstream", "--source", "S", "--url", "https://jetstream.example/subscribe")

    assert result.exit_code == 2
    assert "Jetstream URL must be ws(s)://host/subscribe" in result.stderr


def serve_tag_pages(server: LocalHTTPServer) -> None:
    """The tag timeline as Mastodon pages it: each page's Link header points to the next,
    older page by max_id, until an empty page."""
    pages = [fixture_json("mastodon/tag_page1.json"), fixture_json("mastodon/tag_page2.json")]
    by_max_id: dict[str | None, list] = {None: pages[0], pages[0][-1]["id"]: pages[1]}

    def handle(request: SeenRequest) -> Reply:
        page = by_max_id.get(request.param("max_id"), [])
        if not page:
            return Reply(body=[])
        link = f'<{server.url}{TAG}?limit=40&max_id={page[-1]["id"]}>; rel="next"'
        return Reply(body=page, headers={"Link": link})

    server.route(TAG, handle)


def test_mastodon_tag_follows_link_pagination_and_stores_the_posts(cli, server):
    serve_tag_pages(server)

    result = cli("mastodon-tag", "#antisemitism", "--source", "#antisemitism",
                 "--instance", server.url)

    assert result.exit_code == 0, result.output
    assert "4 records: 4 new, 0 updated, 0 skipped, 0 errors" in result.stderr
    assert [r.param("max_id") for r in server.requests_to(TAG)] == [
        None, "113562401122334455", "113562300000000009",
    ]
    assert Post.objects.filter(platform="mastodon").count() == 4
    assert Detection.objects.count() == 4
    cursor = LiveCursor.objects.get(key=f"mastodon:{server.url}:tag:antisemitism")
    assert cursor.value == NEWEST_STATUS
    source = Source.objects.get()
    assert (source.kind, source.url) == ("hashtag", f"{server.url}/tags/antisemitism")


def test_a_second_mastodon_tag_run_asks_only_for_newer_statuses(cli, server):
    serve_tag_pages(server)
    cli("mastodon-tag", "antisemitism", "--source", "#antisemitism", "--instance", server.url)

    result = cli("mastodon-tag", "antisemitism", "--source", "#antisemitism",
                 "--instance", server.url)

    assert result.exit_code == 0, result.output
    assert server.requests_to(TAG)[3].param("since_id") == NEWEST_STATUS
    assert Post.objects.count() == 4


def test_the_mastodon_token_comes_from_the_named_variable_only(cli, server, monkeypatch):
    serve_tag_pages(server)
    monkeypatch.setenv("MASTODON_TEST_TOKEN", "secret-token")

    with_token = cli("mastodon-tag", "antisemitism", "--source", "#a", "--instance", server.url,
                     "--token-env", "MASTODON_TEST_TOKEN")
    without = cli("mastodon-tag", "antisemitism", "--source", "#a", "--instance", server.url)

    assert with_token.exit_code == 0, with_token.output
    assert without.exit_code == 0, without.output
    first, *_, last = server.requests_to(TAG)
    assert first.headers["Authorization"] == "Bearer secret-token"
    assert last.headers["Authorization"] is None
    assert "secret-token" not in with_token.output


def test_mastodon_account_looks_up_the_account_and_leaves_out_boosts(cli, server):
    account = fixture_json("mastodon/account.json")
    statuses = f"/api/v1/accounts/{account['id']}/statuses"
    server.route("/api/v1/accounts/lookup", in_order(Reply(body=account)))
    server.route(statuses, in_order(Reply(body=fixture_json("mastodon/account_statuses.json"))))

    result = cli("mastodon-account", account["acct"], "--source", "Watcher",
                 "--instance", server.url)

    assert result.exit_code == 0, result.output
    assert server.requests_to("/api/v1/accounts/lookup")[0].param("acct") == account["acct"]
    assert server.requests_to(statuses)[0].param("exclude_reblogs") == "true"
    assert Post.objects.count() == len(fixture_json("mastodon/account_statuses.json"))
    assert Source.objects.get().kind == "account"


def test_an_unknown_mastodon_account_is_reported_with_the_endpoint(cli, server):
    server.route("/api/v1/accounts/lookup", in_order(Reply(404, {"error": "Record not found"})))

    result = cli("mastodon-account", "nobody", "--source", "S", "--instance", server.url)

    assert result.exit_code == 2
    assert "/api/v1/accounts/lookup" in result.stderr
    assert "Record not found" in result.stderr


def jetstream_records() -> list:
    return [jetstream_event_to_record(event) for event in created_posts()[:2]]


@pytest.mark.parametrize(
    "command",
    [
        ["bluesky-search", "globalists", "--base-url", "http://127.0.0.1:{port}"],
        ["mastodon-tag", "antisemitism", "--instance", "http://127.0.0.1:{port}"],
        ["jetstream", "--url", "ws://127.0.0.1:{port}/subscribe", "--timeout", "2"],
    ],
    ids=["bluesky-search", "mastodon-tag", "jetstream"],
)
def test_a_server_that_refuses_the_connection_exits_2_and_leaves_no_source(
    cli, refused_port, command
):
    result = cli(*[part.format(port=refused_port) for part in command], "--source", "Offline")

    assert result.exit_code == 2, result.output
    assert f"127.0.0.1:{refused_port}" in flat(result.stderr)
    assert not Source.objects.exists()
    assert not LiveCursor.objects.exists()


def test_jetstream_that_never_connects_says_so_instead_of_0_records(cli, refused_port):
    result = cli("jetstream", "--source", "Offline", "--url",
                 f"ws://127.0.0.1:{refused_port}/subscribe", "--timeout", "2")

    assert result.exit_code == 2
    assert "could not connect in 2 s" in flat(result.stderr)


def test_a_reached_source_with_nothing_new_is_kept(cli, server):
    server.route(SEARCH, lambda request: Reply(body={"posts": []}))

    result = cli("bluesky-search", "nothing", "--source", "Quiet", "--base-url", server.url)

    assert result.exit_code == 0, result.output
    assert Source.objects.get().name == "Quiet"


def test_a_cursor_is_stored_only_with_the_posts_read_before_it(org, monkeypatch):
    source = Source.objects.create(org=org, platform="bluesky", name="stream")
    first, second = jetstream_records()

    def stream(cursors):
        def items():
            yield first
            cursors.set("stream", "after-first")
            yield second
            cursors.set("stream", "after-second")

        return nullcontext(items())

    real_store = follow_import.store_records
    calls = []

    def failing_second_batch(*args):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real_store(*args)

    monkeypatch.setattr(follow_import, "store_records", failing_second_batch)

    with pytest.raises(RuntimeError):
        follow(org, source, stream, batch_size=1)

    assert list(Post.objects.values_list("platform_id", flat=True)) == [first.platform_id]
    # "after-first" covers the second post, whose batch was rolled back
    assert not LiveCursor.objects.exists()


def test_ctrl_c_stores_the_posts_read_and_the_cursor_covering_them(org):
    source = Source.objects.create(org=org, platform="bluesky", name="stream")
    first, _ = jetstream_records()

    def stream(cursors):
        def items():
            yield first
            cursors.set("stream", "after-first")
            raise KeyboardInterrupt

        return nullcontext(items())

    report = follow(org, source, stream, batch_size=10)

    assert report.interrupted
    assert (report.new, report.failure) == (1, "")
    assert Post.objects.get().platform_id == first.platform_id
    assert LiveCursor.objects.get(key="stream").value == "after-first"


def test_an_unusable_stored_cursor_stops_the_run_naming_it(cli, jetstream, org):
    LiveCursor.objects.create(org=org, key="bluesky:jetstream", value="not json")

    result = cli("jetstream", "--source", "Firehose", "--url", jetstream.url, "--timeout", 1)

    assert result.exit_code == 2
    assert "Jetstream cursor 'bluesky:jetstream' is not JSON" in result.stderr
    assert jetstream.paths == []


def test_the_cursor_store_writes_only_on_save_and_keeps_orgs_apart(db):
    group = Organisation.objects.create(name="Group", slug="group")
    unit = Organisation.objects.create(name="Unit", slug="unit")
    store = DatabaseCursorStore(group)

    store.set("bluesky:jetstream", "42")
    assert store.get("bluesky:jetstream") == "42"
    assert not LiveCursor.objects.exists()
    store.save()

    assert LiveCursor.objects.get(org=group).value == "42"
    assert DatabaseCursorStore(unit).get("bluesky:jetstream") is None
    assert DatabaseCursorStore(group).get("bluesky:jetstream") == "42"


def test_long_cursor_keys_are_shortened_without_colliding(db):
    org = Organisation.objects.create(name="Group", slug="group")
    base = "bluesky:jetstream:" + ",".join(f"did:plc:{n:024d}" for n in range(40))
    keys = [base + ",did:plc:a", base + ",did:plc:b"]
    store = DatabaseCursorStore(org)

    for number, key in enumerate(keys):
        store.set(key, str(number))
    store.save()

    assert [DatabaseCursorStore(org).get(key) for key in keys] == ["0", "1"]
    assert all(len(stored_key(key)) <= CURSOR_KEY_LENGTH for key in keys)
    assert stored_key("bluesky:jetstream") == "bluesky:jetstream"


def test_the_main_cli_offers_every_follow_command():
    from tropewatch.cli import app

    result = CliRunner().invoke(app, ["follow", "--help"])

    assert result.exit_code == 0, result.output
    for command in ("bluesky-search", "bluesky-feed", "jetstream", "mastodon-tag",
                    "mastodon-account"):
        assert command in result.output

