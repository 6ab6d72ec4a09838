"""The shared record types and the parser registry."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from ingest_helpers import FIXTURES, split

from tropewatch.ingest import PARSERS, IngestError, PostRecord, RecordError, parse_file


def _record(**changes) -> PostRecord:
    fields = {
        "platform": "x",
        "platform_id": "1",
        "text": "héllo",
        "created_at": datetime(2024, 1, 1, 12, tzinfo=timezone(timedelta(hours=2))),
        "url": None,
        "author": None,
    }
    return PostRecord(**(fields | changes))


def test_records_are_in_utc_and_carry_the_text_hash() -> None:
    record = _record()

    assert record.created_at == datetime(2024, 1, 1, 10, tzinfo=UTC)
    assert record.created_at.tzinfo == UTC
    assert record.content_sha256 == hashlib.sha256("héllo".encode()).hexdigest()


def test_a_naive_time_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="naive"):
        _record(created_at=datetime(2024, 1, 1))


def test_reach_accepts_only_the_known_measures() -> None:
    with pytest.raises(ValueError, match="unknown reach keys \\['quotes'\\]"):
        _record(reach={"likes": 1, "quotes": 2})


def test_a_record_error_reads_as_where_and_what() -> None:
    error = RecordError("export.json", 12, 3, "missing id: id is absent or empty", "missing_id")

    assert str(error) == "export.json, line 12, record 3: missing id: id is absent or empty"


def test_every_platform_of_the_import_command_has_a_parser() -> None:
    assert set(PARSERS) == {"facebook", "x", "bluesky", "mastodon", "csv", "jsonl"}


def test_parse_file_dispatches_by_platform_and_accepts_string_paths() -> None:
    path = str(FIXTURES / "bluesky" / "search_posts.json")

    records, _ = split(parse_file(path, "bluesky"))

    assert records[0].platform == "bluesky"


def test_an_unknown_platform_is_refused() -> None:
    with pytest.raises(IngestError, match="unknown platform 'myspace'; choose one of facebook"):
        parse_file(Path("posts.json"), "myspace")
