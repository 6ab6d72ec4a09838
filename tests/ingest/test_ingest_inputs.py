"""File-level safety shared by every parser: encodings, streaming JSON, zip limits, CSV shape."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ingest_helpers import FIXTURES, split, zip_directory

from tropewatch.ingest import IngestError, Limits, parse_file
from tropewatch.ingest import inputs as inputs_module
from tropewatch.ingest.inputs import OverlongLine, TextStream
from tropewatch.ingest.jsonstream import JsonReader, OverlongValue
from tropewatch.ingest.sanitize import UNSAFE_JSON_ESCAPE

MiB = 1024 * 1024


def _documents(data: bytes, max_value_chars: int = 10_000) -> list:
    reader = JsonReader(TextStream(io.BytesIO(data), "mem.json"), max_value_chars)
    return list(reader.iter_documents())


def test_values_split_across_many_small_reads_parse_the_same(monkeypatch) -> None:
    posts = [{"id": str(n), "text": "x" * n, "n": 10**n} for n in range(40)]
    data = json.dumps(posts, indent=1).encode()
    expected = [value for _, _, value in _documents(data)]

    monkeypatch.setattr(inputs_module, "CHUNK_BYTES", 3)
    monkeypatch.setattr("tropewatch.ingest.jsonstream.CHUNK_BYTES", 3)

    assert [value for _, _, value in _documents(data)] == expected == posts


def test_record_lines_are_where_each_record_starts() -> None:
    data = b'[\n  {"a": 1},\n\n  {"b":\n 2}\n]'

    assert [(number, line) for number, line, _ in _documents(data)] == [(1, 2), (2, 4)]


def test_json_errors_name_line_and_column() -> None:
    with pytest.raises(IngestError) as caught:
        _documents(b'[\n {"a": 1},\n {"a": 1 "b": 2}\n]')

    assert str(caught.value) == (
        "mem.json: invalid JSON at line 3, column 10 in record 2: Expecting ',' delimiter"
    )


def test_a_missing_closing_bracket_is_reported_as_truncation() -> None:
    with pytest.raises(IngestError) as caught:
        _documents(b'[{"a": 1},\n{"a": 2}\n')

    assert str(caught.value) == (
        "mem.json: truncated JSON: the file ends at line 3, column 1 (after record 2);"
        " expected ',' or ']'"
    )


def test_not_utf8_names_the_byte_offset_and_line() -> None:
    with pytest.raises(IngestError) as caught:
        _documents(b'[\n"ok",\n"caf\xe9"]')

    assert "not UTF-8 text: invalid byte at offset 12 (line 3)" in str(caught.value)


def test_a_byte_order_mark_is_not_content() -> None:
    assert _documents(b'\xef\xbb\xbf[{"a": 1}]') == [(1, 1, {"a": 1})]


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity"])
def test_non_json_numbers_are_refused(constant: bytes) -> None:
    with pytest.raises(IngestError, match="is not valid JSON"):
        _documents(b'[{"a": ' + constant + b"}]")


def test_a_record_over_the_size_limit_is_stepped_over_and_the_next_read() -> None:
    data = b'[{"a": 1},\n {"text": "' + b"x" * 5000 + b'"}, {"b": 2}]'

    documents = _documents(data, max_value_chars=1000)

    assert documents == [(1, 1, {"a": 1}), (2, 2, OverlongValue("record 2", 2, 1000)),
                         (3, 2, {"b": 2})]
    assert documents[1][2].problem == ("record 2 starting at line 2 is larger than 1,000 "
                                       "characters, the most one record may hold; it was "
                                       "skipped unread")


def test_a_file_ending_inside_a_skipped_record_is_truncated(monkeypatch) -> None:
    monkeypatch.setattr("tropewatch.ingest.jsonstream.CHUNK_BYTES", 100)  # over the limit
    # before the end of the file is read

    with pytest.raises(IngestError, match="^mem.json: truncated JSON: the file ends inside "
                                          "record 2, which starts at line 1$"):
        _documents(b'[{"a": 1}, {"text": "' + b"x" * 5000, max_value_chars=1000)


# Keys without NUL or lone surrogates: reading removes or replaces those
# (test_nul_and_lone_surrogates_are_removed_from_strings), so they would not read back.
_KEYS = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)),
                max_size=3)
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='a"\\[]{},:\n\u00e9'),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(_JSON_VALUES, max_size=6), max_chars=st.integers(1, 40),
       chunk=st.integers(1, 4))
def test_records_over_the_limit_are_skipped_exactly(values, max_chars, chunk) -> None:
    data = json.dumps(values).encode()
    with pytest.MonkeyPatch.context() as patch:  # small reads: skips cross chunk ends
        patch.setattr("tropewatch.ingest.jsonstream.CHUNK_BYTES", chunk)
        documents = [value for _, _, value in _documents(data, max_value_chars=max_chars)]

    assert documents == [
        OverlongValue(f"record {number}", 1, max_chars) if len(json.dumps(value)) > max_chars
        else value
        for number, value in enumerate(values, 1)
    ]


def test_deep_nesting_is_refused_not_a_crash() -> None:
    with pytest.raises(IngestError, match="nested too deeply"):
        _documents(b"[" * 100_000 + b"]" * 100_000)


def test_nul_and_lone_surrogates_are_removed_from_strings() -> None:
    ((_, _, value),) = _documents(b'[{"t\\u0000": "a\\u0000b\\ud800c\\ud83d\\ude00"}]')

    assert value == {"t": "ab\ufffdc😀"}


def test_a_zip_member_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    archive = zip_directory(FIXTURES / "x" / "archive", tmp_path / "x.zip")

    with pytest.raises(IngestError, match="data/account.js: refusing to inflate"):
        list(parse_file(archive, "x", limits=Limits(max_member_bytes=100)))


def test_the_total_inflated_from_one_zip_is_limited(tmp_path: Path) -> None:
    archive = zip_directory(FIXTURES / "x" / "archive", tmp_path / "x.zip")
    account_and_profile = sum(
        len((FIXTURES / "x" / "archive" / "data" / name).read_bytes())
        for name in ("account.js", "profile.js")
    )

    with pytest.raises(IngestError, match="data/tweets.js: archive would inflate to more than"):
        list(parse_file(archive, "x", limits=Limits(max_archive_bytes=account_and_profile + 10)))


def test_a_truncated_zip_is_refused(tmp_path: Path) -> None:
    archive = zip_directory(FIXTURES / "x" / "archive", tmp_path / "x.zip")
    cut = tmp_path / "cut.zip"
    cut.write_bytes(archive.read_bytes()[:600])

    with pytest.raises(IngestError, match=f"{cut}: not a readable zip archive"):
        list(parse_file(cut, "x"))


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"

    with pytest.raises(IngestError, match=f"{missing}: cannot open"):
        list(parse_file(missing, "bluesky"))


def test_a_csv_line_over_the_size_limit_skips_its_row_only(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    long_text = "x" * 2000
    path.write_text(
        "id,text,created_at\n"
        f"1,{long_text},2024-01-01\n"
        f'2,"quoted over lines\n{long_text}",2024-01-01\n'
        "3,after,2024-01-01\n"
    )

    records, errors = split(parse_file(path, "csv", limits=Limits(max_record_chars=1000)))

    assert [(r.platform_id, r.text, r.source_line) for r in records] == [("3", "after", 5)]
    assert [str(error) for error in errors] == [
        f"{path}, line {line}, record {number}: malformed CSV: line {long_line} is longer "
        "than 1,000 characters, the most one record may hold; it was skipped unread"
        for line, number, long_line in ((2, 1, 2), (3, 2, 4))
    ]


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ab\n", max_size=40), max_chars=st.integers(0, 6),
       reads=st.lists(st.integers(1, 5), min_size=1))
def test_lines_are_split_alike_however_the_reads_fall(text, max_chars, reads) -> None:
    sizes = iter(reads * 100)

    class SmallReads(io.BytesIO):
        def read(self, size: int = -1) -> bytes:
            return super().read(next(sizes, 5))

    lines = list(TextStream(SmallReads(text.encode()), "mem.txt").lines(max_chars))

    expected = text.splitlines(keepends=True)
    assert [number for number, _ in lines] == list(range(1, len(expected) + 1))
    for (number, line), want in zip(lines, expected, strict=True):
        too_long = len(want.removesuffix("\n")) > max_chars
        assert line == (OverlongLine(number, max_chars) if too_long else want)


def test_a_csv_with_repeated_column_names_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("id,text,text,created_at\n")

    with pytest.raises(IngestError, match=r"line 1: repeated column names \['text'\]"):
        list(parse_file(path, "csv"))


def test_an_empty_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("")

    with pytest.raises(IngestError, match=rf"^{path}: the file is empty$"):
        list(parse_file(path, "csv"))


def test_blank_lines_before_a_csv_header_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("\n  \nid,text,created_at\n1,hello,2024-01-01\n")

    (record,), errors = split(parse_file(path, "csv"))

    assert errors == []
    assert (record.platform_id, record.text, record.source_line) == ("1", "hello", 4)


def test_a_csv_header_without_names_is_refused_as_such(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(",,\n1,hello,2024-01-01\n")

    with pytest.raises(IngestError, match=rf"^{path}: line 1: the header row names no columns$"):
        list(parse_file(path, "csv"))


def test_a_csv_cell_over_the_csv_field_limit_skips_its_record_only(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    long_cell = "x" * 131_073
    path.write_text(
        "id,text,created_at\n"
        "1,before,2024-01-01\n"
        f"2,{long_cell},2024-01-01\n"
        f'3,"quoted over lines\n{long_cell}",2024-01-01\n'
        "4,after,2024-01-01\n"
    )

    records, errors = split(parse_file(path, "csv"))

    assert [(r.platform_id, r.text, r.source_line) for r in records] == [
        ("1", "before", 2), ("4", "after", 6)]
    assert [str(error) for error in errors] == [
        f"{path}, line {line}, record {number}: malformed CSV: "
        "a cell is longer than 131072 characters, the most a CSV cell may hold"
        for line, number in ((3, 2), (4, 3))
    ]


def test_csv_cells_lose_nul_characters(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("id,text,created_at\n1,a\x00b,2024-01-01\n")

    (record,), _ = split(parse_file(path, "csv"))

    assert record.text == "ab"


ESCAPE_PIECES = [
    r"\\",
    r"\ud83e",
    r"\uD83D",
    r"\udc00",
    r"\uDE00",
    r"\u0000",
    "u",
    "d8",
    "a",
    "\\n",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(ESCAPE_PIECES), max_size=12))
def test_the_unsafe_escape_check_never_misses_nul_or_lone_surrogates(pieces: list[str]) -> None:
    literal = '"' + "".join(pieces) + '"'
    try:
        decoded = json.loads(literal)
    except json.JSONDecodeError:
        return
    # the decoder joins valid pairs into one character, so any surrogate left is lone
    unsafe = "\x00" in decoded or any(0xD800 <= ord(char) <= 0xDFFF for char in decoded)
    if unsafe:
        assert UNSAFE_JSON_ESCAPE.search(literal)


# Every parser, on a copy of its real-format fixture: (platform, fixture, file name to write).
EVERY_FORMAT = [
    (
        "facebook",
        "facebook/dyi/your_facebook_activity/groups/group_posts_and_comments.json",
        "posts.json",
    ),
    ("facebook", "facebook/content_library_posts.csv", "posts.csv"),
    ("x", "x/api_search_recent.json", "page.json"),
    ("bluesky", "bluesky/author_feed.json", "feed.json"),
    ("mastodon", "mastodon/statuses.json", "statuses.json"),
    ("mastodon", "mastodon/archive/outbox.json", "outbox.json"),
    ("csv", "generic/volunteer_log.csv", "log.csv"),
]


@pytest.mark.parametrize(("platform", "fixture", "name"), EVERY_FORMAT)
def test_every_format_refuses_text_that_is_not_utf8(
    tmp_path: Path, platform: str, fixture: str, name: str
) -> None:
    text = (FIXTURES / fixture).read_text()
    path = tmp_path / name
    path.write_bytes(text.encode() + "\n\nsmörgåsbord".encode("latin-1"))
    lines = text.count("\n") + 3

    with pytest.raises(IngestError, match=rf"^{path}: not UTF-8 text: .* \(line {lines}\)"):
        list(parse_file(path, platform))


@pytest.mark.parametrize(
    ("platform", "fixture", "name"), [f for f in EVERY_FORMAT if f[2].endswith(".json")]
)
def test_every_json_format_names_where_a_truncated_file_ends(
    tmp_path: Path, platform: str, fixture: str, name: str
) -> None:
    text = (FIXTURES / fixture).read_text()
    cut = text[: len(text) * 2 // 3].rstrip()
    path = tmp_path / name
    path.write_text(cut)
    last_line = cut.count("\n") + 1

    with pytest.raises(
        IngestError,
        match=rf"^{path}: truncated JSON: the file ends at line "
        rf"{last_line}, column \d+",
    ):
        list(parse_file(path, platform))


@pytest.mark.parametrize(
    ("platform", "member"),
    [
        ("facebook", "your_facebook_activity/groups/group_posts_and_comments.json"),
        ("x", "data/tweets.js"),
        ("mastodon", "outbox.json"),
    ],
)
def test_every_zip_format_refuses_a_bomb(tmp_path: Path, platform: str, member: str) -> None:
    bomb = tmp_path / "export.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(FIXTURES / "x" / "archive" / "data" / "account.js", "data/account.js")
        archive.writestr(member, b"[" + b" " * 64 * MiB + b"]")

    with pytest.raises(IngestError, match=f"{member}: compression ratio .* likely zip bomb"):
        list(parse_file(bomb, platform))


# An empty file is no export of anything: refused by name, not read as "0 records".
EMPTY_FILES = {"empty": b"", "blank lines": b"\n  \n\t\r\n", "a byte-order mark": b"\xef\xbb\xbf"}


@pytest.mark.parametrize("content", EMPTY_FILES.values(), ids=EMPTY_FILES.keys())
@pytest.mark.parametrize(
    ("platform", "name"),
    [
        ("jsonl", "posts.jsonl"),
        ("bluesky", "feed.json"),
        ("mastodon", "statuses.json"),
        ("x", "page.json"),
        ("facebook", "posts.json"),
        ("csv", "posts.csv"),
    ],
)
def test_every_format_refuses_an_empty_file_by_name(
    tmp_path: Path, platform: str, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(IngestError) as caught:
        list(parse_file(path, platform))

    assert str(caught.value) == f"{path}: the file is empty"
