"""The Jetstream consumer against a local websocket server replaying documented events."""

from __future__ import annotations

import json
import shutil

import pytest
from fake_servers import jetstream_events

from tropewatch.ingest.follow.cursor import FileCursorStore
from tropewatch.ingest.follow.errors import LiveSourceError
from tropewatch.ingest.follow.jetstream import JetstreamConsumer
from tropewatch.ingest.records import PostRecord, RecordError

KEY = "bluesky:jetstream"
REWIND_US = 5_000_000


def expected_deliveries() -> list[str]:
    """What a consumer must deliver, in stream order: every created post, by URI, and an
    error in place of the one post without text."""
    return [
        "error" if not event["commit"]["record"]["text"] else label_event(event)
        for event in jetstream_events()
        if event["kind"] == "commit"
        and event["commit"]["collection"] == "app.bsky.feed.post"
        and event["commit"]["operation"] == "create"
    ]


def label_event(event: dict) -> str:
    return f"at://{event['did']}/app.bsky.feed.post/{event['commit']['rkey']}"


def label(item: PostRecord | RecordError) -> str:
    return item.platform_id if isinstance(item, PostRecord) else "error"


def events_replayed_from(store: FileCursorStore) -> int:
    """How many events the server sends to a consumer resuming from ``store``'s cursor."""
    state = json.loads(store.get(KEY))
    time_us = state["time_us"] if isinstance(state, dict) else state
    return sum(event["time_us"] >= time_us - REWIND_US for event in jetstream_events())


def consumer(url: str, store: FileCursorStore | None = None, **options) -> JetstreamConsumer:
    options.setdefault("timeout", 2.0)
    options.setdefault("sleep", lambda seconds: None)
    return JetstreamConsumer(url, cursor_store=store, rewind_seconds=5, **options)


def test_it_yields_created_posts_and_passes_over_every_other_event(local_jetstream):
    server = local_jetstream()
    events = jetstream_events()

    with consumer(server.url, max_events=len(events)) as stream:
        results = list(stream)

    posts = [item for item in results if isinstance(item, PostRecord)]
    assert [post.text for post in posts] == [
        "First post on the stream.",
        "A reply to the first post.",
        "Third post: the same old conspiracy about the banks.",
        "Fourth post, written in a hurry.",
        "Fifth post.",
        "Sixth post, the last one.",
    ]
    reply = posts[1]
    assert reply.platform_id == (
        "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3lbtm2ddddd2a"
    )
    assert reply.parent_platform_id == posts[0].platform_id
    assert reply.author.platform_id == "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
    [empty] = [item for item in results if isinstance(item, RecordError)]
    assert empty.kind == "missing_text"
    assert server.url in empty.source
    assert "wantedCollections=app.bsky.feed.post" in server.paths[0]
    assert server.cursors() == [None]


def test_it_stops_cleanly_at_the_timeout_and_keeps_the_cursor(local_jetstream, tmp_path):
    events = jetstream_events()[:4]
    server = local_jetstream(events)
    store = FileCursorStore(tmp_path / "cursors.json")

    with consumer(server.url, store, timeout=0.3) as stream:
        results = list(stream)

    assert len(results) == 2
    assert json.loads(store.get(KEY))["time_us"] == events[-1]["time_us"]


@pytest.mark.parametrize("stop_after", [1, 3, 6])
def test_a_restart_after_stopping_delivers_every_post_exactly_once(
    local_jetstream, tmp_path, stop_after
):
    server = local_jetstream()
    store = FileCursorStore(tmp_path / "cursors.json")
    delivered: list[str] = []

    with consumer(server.url, store) as stream:
        for item in stream:
            delivered.append(label(item))
            if len(delivered) == stop_after:
                break
    stopped_at = json.loads(store.get(KEY))["time_us"]
    with consumer(server.url, store, max_events=events_replayed_from(store)) as stream:
        # replays start in the rewind window, so some events come twice; posts must not
        delivered.extend(label(item) for item in stream)

    assert delivered == expected_deliveries()
    assert server.cursors() == [None, stopped_at - REWIND_US]


def test_a_crash_between_checkpoints_delivers_again_but_loses_nothing(local_jetstream, tmp_path):
    server = local_jetstream()
    store = FileCursorStore(tmp_path / "cursors.json")
    at_crash = tmp_path / "at-crash.json"
    first_run: list[str] = []

    stream = consumer(server.url, store, checkpoint_every=3)
    for item in stream:
        first_run.append(label(item))
        if len(first_run) == 5:
            # What SIGKILL would leave on disk: the last checkpoint, not the last post.
            shutil.copy(store.path, at_crash)
            break
    stream.close()
    restored = FileCursorStore(at_crash)
    with consumer(server.url, restored, max_events=events_replayed_from(restored)) as restarted:
        second_run = [label(item) for item in restarted]

    expected = expected_deliveries()
    assert set(first_run) | set(second_run) == set(expected)
    assert second_run == expected[len(expected) - len(second_run) :]
    assert len(second_run) > len(expected) - len(first_run)  # some came again


def test_an_error_while_handling_a_post_delivers_that_post_again(local_jetstream, tmp_path):
    server = local_jetstream()
    store = FileCursorStore(tmp_path / "cursors.json")
    handled: list[str] = []

    with pytest.raises(RuntimeError, match="database went away"):
        with consumer(server.url, store) as stream:
            for item in stream:
                if len(handled) == 2:
                    raise RuntimeError("database went away")
                handled.append(item.platform_id)
    with consumer(server.url, store, max_events=events_replayed_from(store)) as stream:
        handled.extend(label(item) for item in stream)

    assert handled == expected_deliveries()


def test_it_reconnects_from_the_cursor_after_the_connection_drops(local_jetstream):
    server = local_jetstream(drops=[4])
    events = jetstream_events()
    sleeps: list[float] = []

    # four events on the dropped connection, then all of them again from the rewound cursor
    with consumer(server.url, max_events=4 + len(events), sleep=sleeps.append) as stream:
        delivered = [label(item) for item in stream]

    assert delivered == expected_deliveries()
    assert sleeps == [0.5]
    assert server.cursors() == [None, events[3]["time_us"] - REWIND_US]


def test_it_gives_up_after_a_bounded_number_of_failed_connections(local_jetstream):
    server = local_jetstream(events=[], drops=[0, 0, 0, 0])
    sleeps: list[float] = []

    with pytest.raises(LiveSourceError, match="gave up after 3 connection attempts") as failure:
        with consumer(server.url, max_reconnects=2, sleep=sleeps.append) as stream:
            list(stream)

    assert server.url in str(failure.value)
    assert sleeps == [0.5, 1.0]


def test_it_reports_a_closed_port_as_a_failed_connection():
    with pytest.raises(LiveSourceError, match="gave up after 1 connection attempt"):
        with consumer("ws://127.0.0.1:9/subscribe", max_reconnects=0) as stream:
            list(stream)


@pytest.mark.parametrize(
    "message",
    ["not json at all", '["a", "list"]', '{"kind": "commit", "time_us": "soon"}'],
    ids=["not-json", "not-an-object", "time-not-an-integer"],
)
def test_a_malformed_event_raises_an_error_naming_the_stream(local_jetstream, message):
    server = local_jetstream(events=[message])

    with pytest.raises(LiveSourceError, match="event 1") as failure:
        with consumer(server.url) as stream:
            list(stream)

    assert server.url in str(failure.value)


def test_it_resumes_from_a_bare_time_us_set_by_hand(local_jetstream, tmp_path):
    server = local_jetstream()
    events = jetstream_events()
    store = FileCursorStore(tmp_path / "cursors.json")
    store.set(KEY, str(events[9]["time_us"]))

    with consumer(server.url, store, max_events=events_replayed_from(store)) as stream:
        texts = [item.text for item in stream if isinstance(item, PostRecord)]

    assert server.cursors() == [events[9]["time_us"] - REWIND_US]
    # Rewound five seconds, with no URIs stored to recognise the posts already seen by.
    assert texts[:2] == [
        "Third post: the same old conspiracy about the banks.",
        "Fourth post, written in a hurry.",
    ]


def test_a_corrupt_cursor_is_reported_with_its_key(tmp_path):
    store = FileCursorStore(tmp_path / "cursors.json")
    store.set(KEY, '{"time_us": "yesterday"}')

    with pytest.raises(LiveSourceError, match=KEY):
        consumer("ws://127.0.0.1:9/subscribe", store)


def test_the_subscribe_url_asks_for_posts_of_the_wanted_accounts():
    stream = JetstreamConsumer(
        "wss://jetstream.example/subscribe?cursor=1", wanted_dids=["did:plc:a", "did:plc:b"]
    )

    assert stream.subscribe_url() == (
        "wss://jetstream.example/subscribe?wantedCollections=app.bsky.feed.post"
        "&wantedDids=did%3Aplc%3Aa&wantedDids=did%3Aplc%3Ab"
    )
