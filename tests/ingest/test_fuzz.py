"""Fuzzing every parser: random bytes and mutated real-format fixtures may only ever produce
records, RecordErrors or an IngestError; never another exception, never a hang."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import FIXTURES, zip_directory

from tropewatch.ingest import IngestError, PostRecord, RecordError, parse_file

FUZZ = settings(
    max_examples=100,
    deadline=timedelta(seconds=3),
    suppress_health_check=[HealthCheck.too_slow],
)

# Fragments that steer mutations towards the interesting corners of each format.
TOKENS = [
    b'"',
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"\n",
    b"\r\n",
    b"\\",
    b"\\u0000",
    b"\\ud800",
    b"null",
    b"true",
    b"1e999",
    b"-0",
    b"NaN",
    b"9" * 30,
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"\x00",
    b"<",
    b"<a",
    b"<![",
    b"&#0;",
    b"PK\x03\x04",
    b"window.YTD.tweets.part0 = ",
]

mutation = st.tuples(
    st.sampled_from(["insert", "delete", "replace", "truncate"]),
    st.floats(0, 1),
    st.one_of(st.sampled_from(TOKENS), st.binary(max_size=6)),
)


def _mutate(data: bytes, mutations: list[tuple[str, float, bytes]]) -> bytes:
    for operation, where, fragment in mutations:
        at = int(where * len(data))
        if operation == "insert":
            data = data[:at] + fragment + data[at:]
        elif operation == "delete":
            data = data[:at] + data[at + 1 + len(fragment) :]
        elif operation == "replace":
            data = data[:at] + fragment + data[at + len(fragment) :]
        else:
            data = data[:at]
    return data


def _zipped(directory: Path) -> bytes:
    with tempfile.TemporaryDirectory() as scratch:
        return zip_directory(directory, Path(scratch) / "export.zip").read_bytes()


CASES: dict[str, tuple[str, str, bytes, dict]] = {
    # name: (platform, file name to write, seed content, parse options)
    "facebook-dyi": (
        "facebook",
        "group_posts_and_comments.json",
        (
            FIXTURES / "facebook/dyi/your_facebook_activity/groups/group_posts_and_comments.json"
        ).read_bytes(),
        {},
    ),
    "facebook-dyi-zip": ("facebook", "export.zip", _zipped(FIXTURES / "facebook/dyi"), {}),
    "facebook-content-library": (
        "facebook",
        "posts.csv",
        (FIXTURES / "facebook/content_library_posts.csv").read_bytes(),
        {},
    ),
    "x-archive": ("x", "data/tweets.js", (FIXTURES / "x/archive/data/tweets.js").read_bytes(), {}),
    "x-archive-zip": ("x", "twitter.zip", _zipped(FIXTURES / "x/archive"), {}),
    "x-api": ("x", "pages.json", (FIXTURES / "x/api_search_recent.json").read_bytes(), {}),
    "bluesky": ("bluesky", "feed.json", (FIXTURES / "bluesky/author_feed.json").read_bytes(), {}),
    "bluesky-jetstream": (
        "bluesky",
        "events.jsonl",
        (FIXTURES / "bluesky/jetstream.jsonl").read_bytes(),
        {},
    ),
    "mastodon-rest": (
        "mastodon",
        "statuses.json",
        (FIXTURES / "mastodon/statuses.json").read_bytes(),
        {},
    ),
    "mastodon-outbox": (
        "mastodon",
        "outbox.json",
        (FIXTURES / "mastodon/archive/outbox.json").read_bytes(),
        {},
    ),
    "mastodon-zip": ("mastodon", "archive.zip", _zipped(FIXTURES / "mastodon/archive"), {}),
    "csv": (
        "csv",
        "log.csv",
        (FIXTURES / "generic/volunteer_log.csv").read_bytes(),
        {"mapping": {"id": "Post ID", "created_at": "Posted at", "text": "Message"}},
    ),
    "jsonl": (
        "jsonl",
        "collected.jsonl",
        (FIXTURES / "generic/collected.jsonl").read_bytes(),
        {"mapping": {"id": "post.id", "created_at": "post.time", "text": "post.body"}},
    ),
}


def _check_record(record: PostRecord) -> None:
    """What the importer relies on: storable text, UTC times, JSON-serialisable raw."""
    assert isinstance(record.platform_id, str) and record.platform_id
    assert record.text.strip()
    record.text.encode("utf-8")  # no lone surrogates
    assert "\x00" not in record.text
    assert record.created_at.tzinfo == UTC
    json.dumps(record.raw, allow_nan=False)
    assert all(isinstance(count, int) and count >= 0 for count in record.reach.values())


def _parse_bytes(
    case: str, data: bytes, *, refusal_allowed: bool = True
) -> list[PostRecord | RecordError]:
    """Everything the parser yields for ``data``, each item checked as it comes. An
    IngestError (the whole file refused) ends the list, or fails the test where
    ``refusal_allowed`` is false."""
    platform, name, _, options = CASES[case]
    items: list[PostRecord | RecordError] = []
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if case == "x-archive":  # a tweets.js is read with the account.js beside it
            shutil.copy(FIXTURES / "x/archive/data/account.js", path.parent / "account.js")
        path.write_bytes(data)
        try:
            for item in parse_file(path, platform, **options):
                if isinstance(item, PostRecord):
                    _check_record(item)
                else:
                    assert isinstance(item, RecordError) and item.message
                items.append(item)
        except IngestError as exc:
            if not refusal_allowed:
                pytest.fail(f"the {case} seed was refused: {exc}")
            assert str(exc)
    return items


def _each_case(test: Callable[..., None]) -> Callable[..., None]:
    return pytest.mark.parametrize("case", sorted(CASES))(test)


@_each_case
@FUZZ
@given(data=st.binary(max_size=3000))
def test_random_bytes_give_only_documented_errors(case: str, data: bytes) -> None:
    _parse_bytes(case, data)


@_each_case
@FUZZ
@given(mutations=st.lists(mutation, min_size=1, max_size=6))
def test_mutated_exports_give_only_documented_errors(
    case: str, mutations: list[tuple[str, float, bytes]]
) -> None:
    _parse_bytes(case, _mutate(CASES[case][2], mutations))


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
ARCHIVE_PREFIX = b"window.YTD.tweets.part0 = "


def _decode_seed(case: str) -> tuple[list, bool]:
    """The seed as JSON documents, and whether it is JSON Lines."""
    seed = CASES[case][2].removeprefix(ARCHIVE_PREFIX)
    if CASES[case][1].endswith(".jsonl"):
        return [json.loads(line) for line in seed.splitlines() if line.strip()], True
    return [json.loads(seed)], False


def _encode(case: str, documents: list, lines: bool) -> bytes:
    if lines:
        return b"\n".join(json.dumps(doc).encode() for doc in documents)
    prefix = ARCHIVE_PREFIX if case == "x-archive" else b""
    return prefix + json.dumps(documents[0]).encode()


def _replace_somewhere(value, data: st.DataObject):
    """``value`` with one randomly chosen part (possibly all of it) replaced by any JSON."""
    children = (
        list(value.items())
        if isinstance(value, dict)
        else list(enumerate(value))
        if isinstance(value, list)
        else []
    )
    if not children or data.draw(st.integers(0, 4)) == 0:
        return data.draw(JSON_VALUES)
    key, child = data.draw(st.sampled_from(children))
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[key] = _replace_somewhere(child, data)
    return copy


JSON_CASES = sorted(case for case in CASES if not CASES[case][1].endswith((".csv", ".zip")))


@pytest.mark.parametrize("case", JSON_CASES)
@FUZZ
@given(data=st.data())
def test_records_of_unexpected_shape_give_only_documented_errors(
    case: str, data: st.DataObject
) -> None:
    documents, lines = _decode_seed(case)
    for _ in range(data.draw(st.integers(1, 3))):
        documents = _replace_somewhere(documents, data)
        documents = documents if isinstance(documents, list) and documents else [documents]
    _parse_bytes(case, _encode(case, documents, lines))


# What each seed holds, counted by hand in tests/ingest/fixtures: (posts, record errors).
# The record errors are the fixtures' deliberate bad records, each named below.
SEED_CONTENTS: dict[str, tuple[int, int]] = {
    "facebook-dyi": (2, 1),  # three group posts; the shared photo has no text
    "facebook-dyi-zip": (4, 1),  # those three plus your_comments_in_groups.json's two comments
    "facebook-content-library": (2, 0),  # two rows, the second spanning two lines
    "x-archive": (2, 0),
    "x-archive-zip": (2, 0),
    "x-api": (2, 0),
    "bluesky": (3, 0),  # three feed items, the third a repost
    "bluesky-jetstream": (1, 2),  # a post's creation; a deletion and an identity event
    "mastodon-rest": (3, 0),  # the third a boost carrying the boosted status
    "mastodon-outbox": (2, 1),  # two Creates; an Announce whose object is only a URL
    "mastodon-zip": (2, 1),
    "csv": (3, 0),
    "jsonl": (2, 0),  # a blank line between the two
}


@_each_case
def test_the_unmutated_seeds_parse_cleanly(case: str) -> None:
    # the fuzz tests start from valid exports, so their mutations explore near real data
    items = _parse_bytes(case, CASES[case][2], refusal_allowed=False)

    posts = [item for item in items if isinstance(item, PostRecord)]
    assert (len(posts), len(items) - len(posts)) == SEED_CONTENTS[case]
