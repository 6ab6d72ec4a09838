"""What `tropewatch scan` does with the rows it reads: pairing them with verdicts in input
order and writing them as JSON Lines. Reading the rows is tested with the ingest readers
(tests/ingest/test_generic.py)."""

from __future__ import annotations

import json
from itertools import islice

import pytest

from cli.helpers import VERDICT_RECORD_KEYS
from tropewatch.cli.scan_results import (
    UnwritableOutput,
    classify_rows,
    result_record,
    row_problem,
    write_results,
)
from tropewatch.ingest import RecordError
from tropewatch.ingest.generic import TextRow


def _broken(line: int, post_id: str = "", message: str = "broken") -> TextRow:
    return TextRow(line, post_id, None, RecordError("posts.csv", line, line, message))


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
        TextRow(1, "a", "one"),
        _broken(2, "b"),
        TextRow(3, "c", "three bad"),
        TextRow(4, "d", "four"),
        _broken(5, "e"),
        _broken(6, "f"),
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
    rows = [TextRow(1, "a", "one"), TextRow(2, "b", "two")]

    with pytest.raises(RuntimeError, match="fewer verdicts"):
        list(classify_rows(rows, lambda texts: [_verdict_for(next(iter(texts)))]))
    with pytest.raises(RuntimeError, match="a text it had not read"):
        list(classify_rows(rows, lambda texts: [_verdict_for(t) for t in ["x", *texts]]))


def test_write_results_writes_one_object_per_row_in_order(tmp_path):
    rows = [TextRow(2, "x1", "Шалом bad"), _broken(3, "x2")]
    results = [(rows[0], _verdict_for("Шалом bad")), (rows[1], None)]
    out = tmp_path / "out.jsonl"

    count = write_results(results, str(out))

    text = out.read_text(encoding="utf-8")
    assert "Шалом" in text  # written as UTF-8, not \u escapes
    first, second = (json.loads(line) for line in text.splitlines())
    assert count == 2
    assert list(first) == VERDICT_RECORD_KEYS
    assert first["id"] == "x1" and first["antisemitic"] is True
    assert second == {"id": "x2", "error": "line 3: broken", "line": 3}


def test_write_results_to_stdout_writes_utf8_json_lines(capsysbinary):
    row = TextRow(1, "1", "x")

    write_results([(row, _verdict_for("עברית"))], "-")

    line = capsysbinary.readouterr().out.decode("utf-8")
    assert json.loads(line)["explanation"] == "עברית"


def test_a_lone_surrogate_from_json_input_is_written_as_valid_json(tmp_path):
    post = "bad \ud800 text"  # what json.loads makes of "bad \\ud800 text"
    out = tmp_path / "out.jsonl"

    write_results([(TextRow(1, "1", post), _verdict_for(post))], str(out))

    assert json.loads(out.read_text(encoding="utf-8"))["explanation"] == post


def test_result_record_for_a_bad_row_has_id_error_and_line():
    row = _broken(9, message="line is not a JSON object")

    assert row_problem(row) == "line 9: line is not a JSON object"
    assert result_record(row, None) == {
        "id": "",
        "error": "line 9: line is not a JSON object",
        "line": 9,
    }


def test_an_output_that_cannot_be_written_is_named(tmp_path):
    out = tmp_path / "no-such-folder" / "out.jsonl"

    with pytest.raises(UnwritableOutput, match=f"{out}: cannot write: No such file"):
        write_results([], str(out))
