"""Generic CSV and JSON Lines with a column mapping."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from ingest_helpers import FIXTURES, split

from tropewatch.ingest import ColumnMapping, IngestError, parse_file

VOLUNTEER_LOG = FIXTURES / "generic" / "volunteer_log.csv"
LOG_MAPPING = {
    "id": "Post ID",
    "created_at": "Posted at",
    "text": "Message",
    "author": "Account",
    "url": "Link",
    "parent": "In reply to",
}
COLLECTED = FIXTURES / "generic" / "collected.jsonl"
COLLECTED_MAPPING = {
    "id": "post.id",
    "created_at": "post.time",
    "text": "post.body",
    "author": "user.name",
    "url": "permalink",
    "parent": "post.reply_to",
}


def test_it_reads_a_csv_through_the_mapping() -> None:
    records, errors = split(parse_file(VOLUNTEER_LOG, "csv", mapping=LOG_MAPPING))

    assert errors == []
    first, second, third = records
    assert (first.platform, first.platform_id) == ("csv", "fb-001")
    assert first.created_at == datetime(2024, 2, 1, 10, 15, tzinfo=UTC)  # zone-less means UTC
    assert first.author.handle == "ada"  # "@ada" and "ada" are the same handle
    assert first.url == "https://example.org/p/fb-001"
    assert first.raw["Notes"] == "checked"  # unmapped columns are kept
    assert second.created_at == datetime(2024, 2, 1, 10, 30, tzinfo=UTC)  # epoch seconds
    assert second.parent_platform_id == "fb-001"
    assert third.created_at == datetime(2024, 2, 1, 9, 0, tzinfo=UTC)  # 11:00+02:00
    assert third.author is None
    assert third.url is None  # javascript: is never kept as a link
    assert third.source_line == 4


def test_the_platform_of_generic_posts_can_be_named() -> None:
    records, _ = split(
        parse_file(VOLUNTEER_LOG, "csv", mapping=LOG_MAPPING, source_platform="facebook")
    )

    assert {r.platform for r in records} == {"facebook"}
    assert records[0].author.platform == "facebook"


def test_the_default_mapping_uses_optional_columns_only_when_present(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("id,text,created_at\n1,hello,2024-01-01T00:00:00Z\n")

    (record,), errors = split(parse_file(path, "csv"))

    assert errors == []
    assert (record.author, record.url, record.parent_platform_id) == (None, None, None)


def test_a_named_column_missing_from_the_header_is_refused(tmp_path: Path) -> None:
    mapping = {**LOG_MAPPING, "author": "Profile"}

    with pytest.raises(
        IngestError, match=r"line 1: the header has no column 'Profile' \(for author\)"
    ):
        list(parse_file(VOLUNTEER_LOG, "csv", mapping=mapping))


def test_an_unknown_mapping_field_is_refused() -> None:
    with pytest.raises(IngestError, match="unknown mapping fields \\['body'\\]"):
        ColumnMapping.from_option({"body": "Message"})


def test_rows_with_the_wrong_number_of_fields_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("id,text,created_at\n1,a,b,2024-01-01\n2,fine,2024-01-01\n")

    records, errors = split(parse_file(path, "csv"))

    assert [r.platform_id for r in records] == ["2"]
    assert errors[0].line == 2
    assert errors[0].message == "row has 4 fields but the header has 3"


def test_bad_times_and_missing_text_are_reported_with_the_field(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("id,text,created_at\n1,hello,yesterday\n2,,2024-01-01\n")

    records, errors = split(parse_file(path, "csv"))

    assert records == []
    assert errors[0].message == "created_at is not a time: 'yesterday'"
    assert (errors[1].kind, errors[1].line) == ("missing_text", 3)


def test_a_repeated_id_is_a_duplicate_naming_both_rows(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("id,text,created_at\n1,a,2024-01-01\n2,b,2024-01-01\n1,c,2024-01-02\n")

    records, errors = split(parse_file(path, "csv"))

    assert [r.text for r in records] == ["a", "b"]
    assert errors[0].kind == "duplicate"
    assert errors[0].message == "duplicate id 1: record 3 repeats record 1"


def test_a_csv_that_is_not_utf8_is_refused_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_bytes("id,text,created_at\n1,ok,2024-01-01\n2,café,2024-01-01\n".encode("cp1252"))

    with pytest.raises(IngestError) as caught:
        list(parse_file(path, "csv"))

    assert str(caught.value) == (
        f"{path}: not UTF-8 text: invalid byte at offset 40 (line 3); export the file as UTF-8"
    )


def test_it_reads_json_lines_through_dotted_paths() -> None:
    records, errors = split(parse_file(COLLECTED, "jsonl", mapping=COLLECTED_MAPPING))

    assert errors == []
    first, second = records
    assert (first.platform, first.platform_id, first.text) == (
        "jsonl",
        "501",
        "First collected post",
    )
    assert first.author.handle == "ada"
    assert first.url == "https://forum.example/t/501"
    assert second.parent_platform_id == "501"
    assert second.source_line == 3  # the blank line 2 is skipped


def test_a_bad_json_line_is_skipped_and_the_rest_imported(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    lines = [
        '{"id": 1, "text": "a", "created_at": "2024-01-01"}',
        '{"id": 2, "text": "b", "created_at": ',
        "[1, 2]",
        '{"id": 3, "text": "c", "created_at": "2024-01-01"}',
    ]
    path.write_text("\n".join(lines))

    records, errors = split(parse_file(path, "jsonl"))

    assert [r.platform_id for r in records] == ["1", "3"]
    assert [(e.line, e.message) for e in errors] == [
        (2, "invalid JSON at column 38: Expecting value"),
        (3, "line is not a JSON object"),
    ]
