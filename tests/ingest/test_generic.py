"""Generic files: CSV and JSON Lines with a column mapping, plain text, and (id, text) rows
read for scanning."""

from __future__ import annotations

import io
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from ingest_helpers import FIXTURES, split

from tropewatch.ingest import DEFAULT_LIMITS, ColumnMapping, IngestError, Limits, parse_file
from tropewatch.ingest.generic import TextRow, read_text_rows, txt_posts
from tropewatch.ingest.inputs import open_stdin, open_text
from tropewatch.ingest.records import MAX_TEXT_CHARS

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


# --- plain text, and (id, text) rows for scanning -------------------------------------------


def _text_rows(path: Path, fmt: str, **fields: str) -> list[TextRow]:
    with open_text(path) as stream:
        return list(read_text_rows(stream, fmt, **fields))


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def _good(rows: list[TextRow]) -> list[tuple[int, str, str | None]]:
    return [(row.line, row.id, row.text) for row in rows if row.error is None]


def _bad(rows: list[TextRow]) -> list[tuple[int, str, str]]:
    return [(row.line, row.id, row.error.message) for row in rows if row.error is not None]


def test_plain_text_is_one_post_per_non_blank_line_numbered_from_1(tmp_path: Path) -> None:
    path = _write(tmp_path, "posts.txt", "first\n\n   \nsecond, with a comma\r\nlast")

    with open_text(path) as stream:
        posts = list(txt_posts(stream, DEFAULT_LIMITS))

    assert posts == [(1, 1, "first"), (2, 4, "second, with a comma"), (3, 5, "last")]


def test_plain_text_rows_take_the_row_number_as_id(tmp_path: Path) -> None:
    path = _write(tmp_path, "posts.txt", "\ufefffirst\n\nsecond\n")

    assert _good(_text_rows(path, "txt")) == [(1, "1", "first"), (3, "2", "second")]


def test_plain_text_has_no_id_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "posts.txt", "x\n")

    with pytest.raises(IngestError, match="plain text has no id column"):
        _text_rows(path, "txt", id_field="id")


def test_text_rows_read_the_named_csv_columns(tmp_path: Path) -> None:
    path = _write(tmp_path, "posts.csv", "id,platform,body\na1,x,first post\nb2,y,second\n")

    rows = _text_rows(path, "csv", text_field="body", id_field="id")

    assert _good(rows) == [(2, "a1", "first post"), (3, "b2", "second")]


def test_without_an_id_column_the_id_is_the_row_number_after_the_header(tmp_path: Path) -> None:
    path = _write(tmp_path, "posts.csv", "text\none\n\ntwo\nthree\n")

    assert _good(_text_rows(path, "csv")) == [(2, "1", "one"), (4, "2", "two"), (5, "3", "three")]


def test_a_quoted_multiline_cell_keeps_the_line_where_its_row_starts(tmp_path: Path) -> None:
    path = _write(tmp_path, "posts.csv", 'id,text\n1,"two\nlines"\n2,after\n')

    assert _good(_text_rows(path, "csv", id_field="id")) == [
        (2, "1", "two\nlines"),
        (4, "2", "after"),
    ]


def test_text_rows_accept_a_byte_order_mark_and_crlf(tmp_path: Path) -> None:
    path = _write(tmp_path, "posts.csv", b"\xef\xbb\xbfid,text\r\n1,caf\xc3\xa9\r\n")

    assert _good(_text_rows(path, "csv", id_field="id")) == [(2, "1", "café")]


def test_a_missing_column_is_refused_naming_the_columns_found(tmp_path: Path) -> None:
    path = _write(tmp_path, "posts.csv", "id,body\n1,hello\n")

    with pytest.raises(IngestError) as caught:
        _text_rows(path, "csv", id_field="post_id")

    assert str(caught.value) == (
        f"{path}: line 1: the header has no column 'text' (for text), 'post_id' (for id);"
        " its columns are 'id', 'body'"
    )


def test_a_ragged_row_is_an_error_in_its_place_that_keeps_its_id(tmp_path: Path) -> None:
    path = _write(tmp_path, "posts.csv", "id,text\n1,ok\n2,too,many\n3,fine\n")

    rows = _text_rows(path, "csv", id_field="id")

    assert [row.id for row in rows] == ["1", "2", "3"]
    assert _bad(rows) == [(3, "2", "row has 3 fields but the header has 2")]
    assert (rows[1].error.source, rows[1].error.record) == (str(path), 2)


def test_a_stray_quote_is_a_malformed_row_and_reading_carries_on(tmp_path: Path) -> None:
    path = _write(tmp_path, "posts.csv", 'id,text\n1,"quoted"junk\n2,fine\n')

    rows = _text_rows(path, "csv", id_field="id")

    assert _bad(rows) == [(2, "", "malformed CSV: ',' expected after '\"'")]
    assert _good(rows) == [(3, "2", "fine")]


def test_an_unclosed_quote_stops_at_the_csv_field_limit_and_reading_resumes(
    tmp_path: Path,
) -> None:
    rows_after = "".join(f"{n},post {n}\n" for n in range(2, 30_000))  # about 300 kB
    path = _write(tmp_path, "posts.csv", 'id,text\n1,"never closed\n' + rows_after)

    rows = _text_rows(path, "csv", id_field="id")

    assert _bad(rows)[0] == (2, "", "malformed CSV: a cell is longer than 131072 characters, "
                             "the most a CSV cell may hold")
    assert rows[-1] == TextRow(30_000, "29999", "post 29999")


def test_repeated_ids_and_empty_texts_are_kept_as_rows(tmp_path: Path) -> None:
    path = _write(tmp_path, "posts.csv", "id,text\n1,a\n1,b\n,c\n2,\n")

    rows = _text_rows(path, "csv", id_field="id")

    assert _good(rows) == [(2, "1", "a"), (3, "1", "b"), (4, "", "c"), (5, "2", "")]


@pytest.mark.parametrize("content", ["", "\n \n\t\r\n"], ids=["empty", "blank lines"])
@pytest.mark.parametrize("name", ["empty.csv", "empty.jsonl", "empty.txt"])
def test_an_empty_file_is_refused_before_any_row(tmp_path: Path, name: str, content: str) -> None:
    path = _write(tmp_path, name, content)

    with open_text(path) as stream, pytest.raises(IngestError) as caught:
        read_text_rows(stream, name.rsplit(".", 1)[1])  # refused here, before the rows

    assert str(caught.value) == f"{path}: the file is empty"


def test_a_header_only_csv_has_no_rows(tmp_path: Path) -> None:
    assert _text_rows(_write(tmp_path, "posts.csv", "id,text\n"), "csv") == []


def test_text_rows_of_a_file_that_is_not_utf8_stop_naming_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "posts.csv", b"id,text\n1,ok\n2,caf\xe9\n")

    with pytest.raises(IngestError) as caught:
        _text_rows(path, "csv")

    assert str(caught.value) == (
        f"{path}: not UTF-8 text: invalid byte at offset 18 (line 3); export the file as UTF-8"
    )


def test_a_line_over_the_limit_is_a_bad_row_and_the_next_lines_are_read(tmp_path: Path) -> None:
    path = _write(tmp_path, "posts.txt", "short\n" + "x" * 11 + "\nread on\n")

    with open_text(path) as stream:
        rows = list(read_text_rows(stream, "txt", limits=Limits(max_record_chars=10)))

    assert _good(rows) == [(1, "1", "short"), (3, "3", "read on")]
    assert _bad(rows) == [(2, "2", "line 2 is longer than 10 characters, the most one record "
                                   "may hold; it was skipped unread")]


def test_a_json_line_over_the_limit_is_skipped_naming_its_line(tmp_path: Path) -> None:
    posts = [{"id": "1", "text": "before", "created_at": "2024-01-01"},
             {"id": "2", "text": "x" * 2000, "created_at": "2024-01-01"},
             {"id": "3", "text": "after", "created_at": "2024-01-01"}]
    path = _write(tmp_path, "posts.jsonl", "".join(json.dumps(post) + "\n" for post in posts))

    records, errors = split(parse_file(path, "jsonl", limits=Limits(max_record_chars=1000)))

    assert [(r.platform_id, r.source_line) for r in records] == [("1", 1), ("3", 3)]
    assert [str(error) for error in errors] == [
        f"{path}, line 2, record 2: line 2 is longer than 1,000 characters, the most one "
        "record may hold; it was skipped unread"]


def test_a_post_longer_than_any_platform_allows_is_skipped_with_its_length(
    tmp_path: Path,
) -> None:
    posts = [{"id": "1", "text": "x" * MAX_TEXT_CHARS, "created_at": "2024-01-01"},
             {"id": "2", "text": "x" * (MAX_TEXT_CHARS + 1), "created_at": "2024-01-01"}]
    path = _write(tmp_path, "posts.jsonl", "".join(json.dumps(post) + "\n" for post in posts))

    records, errors = split(parse_file(path, "jsonl"))

    assert [r.platform_id for r in records] == ["1"]
    assert [str(error) for error in errors] == [
        f"{path}, line 2, record 2: the text is 1,000,001 characters long, more than the "
        "1,000,000 a post may have"]


def test_text_rows_read_json_lines_ids_and_nested_fields(tmp_path: Path) -> None:
    lines = ['{"id": "p1", "text": "hello"}', "", '{"id": 7, "post": {"text": "shalom"}}']
    path = _write(tmp_path, "posts.jsonl", "\n".join(lines) + "\n")

    assert _good(_text_rows(path, "jsonl", id_field="id")) == [(1, "p1", "hello")]
    assert _good(_text_rows(path, "jsonl", text_field="post.text", id_field="id")) == [
        (3, "7", "shalom")
    ]


@pytest.mark.parametrize(
    "bad_line, message",
    [
        ('{"text": "unterminated', "invalid JSON at column 10: Unterminated string starting at"),
        ('["text", "in", "a list"]', "line is not a JSON object"),
        ('{"body": "wrong field"}', "no text to scan: text is absent or null"),
        ('{"text": 42}', "text is not a string"),
        ("[" * 100_000, "JSON nested too deeply"),
    ],
)
def test_a_bad_json_line_is_an_error_row_and_the_rest_is_read(
    tmp_path: Path, bad_line: str, message: str
) -> None:
    path = _write(
        tmp_path, "posts.ndjson", '{"text": "good"}\n' + bad_line + '\n{"text": "also"}\n'
    )

    rows = _text_rows(path, "jsonl")

    assert _good(rows) == [(1, "1", "good"), (3, "3", "also")]
    assert _bad(rows) == [(2, "2", message)]


def test_a_json_id_that_is_not_a_string_or_an_integer_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "posts.jsonl", '{"id": [1], "text": "x"}\n{"id": "b"}\n')

    rows = _text_rows(path, "jsonl", id_field="id")

    assert _bad(rows) == [
        (1, "", "id is not an id: [1]"),
        (2, "b", "no text to scan: text is absent or null"),  # the id is known, so it is kept
    ]


def test_an_unknown_text_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="unknown format 'xlsx'; choose one of csv, jsonl, txt"):
        _text_rows(_write(tmp_path, "posts.xlsx", "x"), "xlsx")


def test_standard_input_is_read_as_bytes_and_decoded_strictly(monkeypatch) -> None:
    data = '{"text": "from stdin ✡"}\n'.encode()
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(data)))

    with open_stdin() as stream:
        rows = list(read_text_rows(stream, "jsonl"))

    assert rows == [TextRow(1, "1", "from stdin ✡")]
    assert stream.source == "standard input"
