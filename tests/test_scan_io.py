"""Reading posts for `tropewatch scan` and writing its JSON Lines results."""

from __future__ import annotations

import io
import json
import sys
import tracemalloc
from itertools import islice
from pathlib import Path
from types import SimpleNamespace

import pytest

from tropewatch.cli.scan_input import (
    InputRow,
    ScanInputError,
    classify_rows,
    read_posts,
    result_record,
    write_results,
)


def _write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return str(path)


def _good(rows: list[InputRow]) -> list[tuple[int, str, str | None]]:
    return [(row.line, row.id, row.text) for row in rows if row.error is None]


def _errors(rows: list[InputRow]) -> list[tuple[int, str]]:
    return [(row.line, row.error) for row in rows if row.error is not None]


# --- CSV ---------------------------------------------------------------------------------


def test_it_reads_text_and_id_columns_from_csv(tmp_path):
    path = _write(tmp_path, "posts.csv", "id,text,platform\na1,first post,x\nb2,second,y\n")

    rows = list(read_posts(path, None, text_column="text", id_column="id"))

    assert _good(rows) == [(2, "a1", "first post"), (3, "b2", "second")]


def test_without_an_id_column_the_id_is_the_data_row_number(tmp_path):
    path = _write(tmp_path, "posts.csv", "text\none\n\ntwo\nthree\n")

    rows = list(read_posts(path, None))

    assert [(row.line, row.id) for row in rows] == [(2, "1"), (4, "2"), (5, "3")]


def test_a_quoted_multiline_field_reports_the_line_where_its_record_starts(tmp_path):
    path = _write(tmp_path, "posts.csv", 'id,text\n1,"two\nlines"\n2,after\n')

    rows = list(read_posts(path, None, id_column="id"))

    assert _good(rows) == [(2, "1", "two\nlines"), (4, "2", "after")]


def test_it_accepts_a_utf8_bom_and_crlf_line_endings(tmp_path):
    path = _write(tmp_path, "posts.csv", b"\xef\xbb\xbfid,text\r\n1,caf\xc3\xa9\r\n")

    rows = list(read_posts(path, None, id_column="id"))

    assert _good(rows) == [(2, "1", "café")]


@pytest.mark.parametrize("option, column", [("text_column", "body"), ("id_column", "post_id")])
def test_a_missing_column_is_named_with_the_columns_found(tmp_path, option, column):
    path = _write(tmp_path, "posts.csv", "id,text\n1,hello\n")

    with pytest.raises(ScanInputError) as excinfo:
        read_posts(path, None, **{option: column})

    message = str(excinfo.value)
    assert repr(column) in message
    assert "'id', 'text'" in message
    assert path in message


def test_a_ragged_csv_row_becomes_an_error_naming_its_line(tmp_path):
    path = _write(tmp_path, "posts.csv", "id,text\n1,ok\n2,too,many\n3,fine\n")

    rows = list(read_posts(path, None, id_column="id"))

    assert _good(rows) == [(2, "1", "ok"), (4, "3", "fine")]
    [(line, error)] = _errors(rows)
    assert line == 3
    assert error.startswith("line 3:") and "expected 2 fields" in error
    assert rows[1].id == "2"  # the id is kept so the row can be found


def test_a_stray_quote_is_a_malformed_row_and_reading_carries_on(tmp_path):
    path = _write(tmp_path, "posts.csv", 'id,text\n1,"quoted"junk\n2,fine\n')

    rows = list(read_posts(path, None, id_column="id"))

    assert _good(rows) == [(3, "2", "fine")]
    assert _errors(rows)[0][0] == 2
    assert "malformed CSV" in _errors(rows)[0][1]


def test_an_unclosed_quote_cannot_swallow_the_file(tmp_path):
    body = "".join(f"{n},post {n}\n" for n in range(2, 200))
    path = _write(tmp_path, "posts.csv", 'id,text\n1,"never closed\n' + body)

    rows = list(read_posts(path, None, id_column="id", max_line_bytes=500))

    assert rows[0].line == 2 and rows[0].error.startswith("line 2:")
    assert "unclosed quote" in rows[0].error
    assert (199, "198", "post 198") in _good(rows)  # reading resumed after the bad record


def test_it_reports_latin1_bytes_with_line_and_byte_offset(tmp_path):
    path = _write(tmp_path, "posts.csv", b"id,text\n1,ok\n2,caf\xe9\n3,fine\n")

    rows = list(read_posts(path, None, id_column="id"))

    assert _good(rows) == [(2, "1", "ok"), (4, "3", "fine")]
    [(line, error)] = _errors(rows)
    assert line == 3
    offset = len(b"id,text\n1,ok\n2,caf")
    assert error.startswith("line 3:")
    assert f"byte offset {offset}" in error and "0xe9" in error
    assert "UTF-8" in error


@pytest.mark.parametrize("name", ["empty.csv", "empty.jsonl", "empty.txt"])
def test_an_empty_file_has_no_rows(tmp_path, name):
    assert list(read_posts(_write(tmp_path, name, ""), None)) == []


def test_a_header_only_csv_has_no_rows(tmp_path):
    assert list(read_posts(_write(tmp_path, "posts.csv", "id,text\n"), None)) == []


# --- over-long lines ---------------------------------------------------------------------


def test_an_overlong_line_is_skipped_without_holding_it_in_memory(tmp_path):
    two_megabytes = "x" * 2_000_000
    path = _write(tmp_path, "posts.txt", f"before\n{two_megabytes}\nafter\n")

    tracemalloc.start()
    try:
        rows = list(read_posts(path, None, max_line_bytes=1_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert _good(rows) == [(1, "1", "before"), (3, "3", "after")]
    [(line, error)] = _errors(rows)
    assert line == 2 and error == "line 2: longer than 1000 bytes"
    assert peak < 500_000  # far below the 2 MB line


def test_a_line_of_exactly_the_limit_is_accepted(tmp_path):
    path = _write(tmp_path, "posts.txt", "a" * 10 + "\r\n" + "b" * 11 + "\n")

    rows = list(read_posts(path, None, max_line_bytes=10))

    assert _good(rows) == [(1, "1", "a" * 10)]
    assert _errors(rows) == [(2, "line 2: longer than 10 bytes")]


def test_an_overlong_csv_line_is_an_error_row(tmp_path):
    path = _write(tmp_path, "posts.csv", "id,text\n1," + "y" * 5_000 + "\n2,ok\n")

    rows = list(read_posts(path, None, id_column="id", max_line_bytes=1_000))

    assert _errors(rows) == [(2, "line 2: longer than 1000 bytes")]
    assert _good(rows) == [(3, "2", "ok")]


# --- JSON Lines --------------------------------------------------------------------------


def test_it_reads_jsonl_text_and_id_fields(tmp_path):
    lines = ['{"id": "p1", "text": "hello"}', "", '{"id": 7, "text": "shalom", "x": 1}']
    path = _write(tmp_path, "posts.jsonl", "\n".join(lines) + "\n")

    rows = list(read_posts(path, None, id_column="id"))

    assert _good(rows) == [(1, "p1", "hello"), (3, "7", "shalom")]


@pytest.mark.parametrize(
    "bad_line, expected",
    [
        ('{"text": "unterminated', "not valid JSON"),
        ('["text", "in", "a list"]', "expected a JSON object, found an array"),
        ('"just a string"', "expected a JSON object, found a string"),
        ('{"body": "wrong field"}', "no 'text' field"),
        ('{"text": 42}', "field 'text' is a number, not a string"),
        ('{"text": null}', "field 'text' is null, not a string"),
        ("[" * 100_000, "not valid JSON"),
    ],
)
def test_a_bad_jsonl_line_becomes_an_error_naming_its_line(tmp_path, bad_line, expected):
    content = '{"text": "good"}\n' + bad_line + '\n{"text": "also good"}\n'
    path = _write(tmp_path, "posts.ndjson", content)

    rows = list(read_posts(path, None))

    assert _good(rows) == [(1, "1", "good"), (3, "3", "also good")]
    [(line, error)] = _errors(rows)
    assert line == 2
    assert error.startswith("line 2: ") and expected in error


def test_a_jsonl_id_that_is_not_a_string_or_integer_is_an_error(tmp_path):
    path = _write(tmp_path, "posts.jsonl", '{"id": [1], "text": "x"}\n')

    [row] = read_posts(path, None, id_column="id")

    assert row.error == "line 1: field 'id' is an array, not a string or an integer"


# --- plain text and stdin ----------------------------------------------------------------


def test_plain_text_skips_blank_lines_but_counts_them(tmp_path):
    path = _write(tmp_path, "posts.txt", "first\n\n   \nsecond\r\n")

    rows = list(read_posts(path, None))

    assert _good(rows) == [(1, "1", "first"), (4, "2", "second")]


def test_it_reads_standard_input_as_bytes(monkeypatch):
    data = '{"text": "from stdin ✡"}\n'.encode()
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(data)))

    rows = list(read_posts("-", "jsonl"))

    assert _good(rows) == [(1, "1", "from stdin ✡")]


def test_standard_input_needs_a_format():
    with pytest.raises(ScanInputError, match="--format"):
        read_posts("-", None)


def test_an_unknown_extension_names_the_file_and_the_format_option(tmp_path):
    path = _write(tmp_path, "posts.xlsx", "whatever")

    with pytest.raises(ScanInputError) as excinfo:
        read_posts(path, None)

    assert path in str(excinfo.value) and "--format" in str(excinfo.value)


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(ScanInputError, match="no such file"):
        read_posts(str(tmp_path / "absent.csv"), None)


def test_plain_text_has_no_id_column(tmp_path):
    with pytest.raises(ScanInputError, match="--id-column"):
        read_posts(_write(tmp_path, "posts.txt", "x\n"), None, id_column="id")


# --- pairing rows with verdicts and writing them -----------------------------------------


def _verdict_for(text: str):
    from tropewatch.detector.verdict import Verdict

    return Verdict(antisemitic="bad" in text, score=len(text) / 100, explanation=text)


def _reading_ahead(seen: list[str], batch_size: int = 2):
    """A classifier that, like detect_batch, reads a batch of texts before answering."""

    def classify(texts):
        iterator = iter(texts)
        while batch := list(islice(iterator, batch_size)):
            seen.extend(batch)
            yield from (_verdict_for(text) for text in batch)

    return classify


def test_classify_rows_keeps_error_rows_in_place_while_the_classifier_reads_ahead():
    rows = [
        InputRow(1, "a", "one"),
        InputRow(2, "b", None, "line 2: broken"),
        InputRow(3, "c", "three bad"),
        InputRow(4, "d", "four"),
        InputRow(5, "e", None, "line 5: broken"),
        InputRow(6, "f", None, "line 6: broken"),
    ]
    seen: list[str] = []

    paired = list(classify_rows(rows, _reading_ahead(seen)))

    assert [row.id for row, _ in paired] == ["a", "b", "c", "d", "e", "f"]
    assert [None if v is None else v.explanation for _, v in paired] == [
        "one",
        None,
        "three bad",
        "four",
        None,
        None,
    ]
    assert seen == ["one", "three bad", "four"]  # only the good texts, each once


def test_classify_rows_refuses_a_classifier_that_drops_or_invents_verdicts():
    rows = [InputRow(1, "a", "one"), InputRow(2, "b", "two")]

    with pytest.raises(RuntimeError, match="fewer verdicts"):
        list(classify_rows(rows, lambda texts: [_verdict_for(next(iter(texts)))]))
    with pytest.raises(RuntimeError, match="a text it had not read"):
        list(classify_rows(rows, lambda texts: [_verdict_for(t) for t in ["x", *texts]]))


def test_write_results_writes_one_object_per_row_in_order(tmp_path):
    rows = [InputRow(2, "x1", "Шалом bad"), InputRow(3, "x2", None, "line 3: broken")]
    results = [(rows[0], _verdict_for("Шалом bad")), (rows[1], None)]
    out = tmp_path / "out.jsonl"

    count = write_results(results, str(out))

    text = out.read_text(encoding="utf-8")
    assert "Шалом" in text  # written as UTF-8, not \u escapes
    first, second = (json.loads(line) for line in text.splitlines())
    assert count == 2
    assert list(first) == [
        "id",
        "antisemitic",
        "score",
        "categories",
        "spans",
        "counter_speech",
        "explanation",
        "policy",
        "model_version",
    ]
    assert first["id"] == "x1" and first["antisemitic"] is True
    assert second == {"id": "x2", "error": "line 3: broken", "line": 3}


def test_write_results_to_stdout_writes_utf8_json_lines(capsysbinary):
    row = InputRow(1, "1", "x")

    write_results([(row, _verdict_for("עברית"))], "-")

    line = capsysbinary.readouterr().out.decode("utf-8")
    assert json.loads(line)["explanation"] == "עברית"


def test_a_lone_surrogate_from_json_input_is_written_as_valid_json(tmp_path):
    post = "bad \ud800 text"  # what json.loads makes of "bad \\ud800 text"
    out = tmp_path / "out.jsonl"

    write_results([(InputRow(1, "1", post), _verdict_for(post))], str(out))

    assert json.loads(out.read_text(encoding="utf-8"))["explanation"] == post


def test_result_record_for_a_bad_row_has_id_error_and_line():
    row = InputRow(9, "", None, "line 9: not valid JSON")

    assert result_record(row, None) == {"id": "", "error": "line 9: not valid JSON", "line": 9}
