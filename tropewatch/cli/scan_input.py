"""Streaming input and output for ``tropewatch scan``.

Files of posts can be large and are written by strangers, so everything here works one line at a
time in constant memory, and a bad row becomes an ``InputRow`` with ``error`` set (naming its line)
instead of stopping the scan. Only problems with the file as a whole (missing, unknown format,
a missing column) raise ``ScanInputError``.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal, TextIO

if TYPE_CHECKING:  # importing the detector package loads the model code; only types are needed
    from tropewatch.detector.verdict import Verdict

InputFormat = Literal["csv", "jsonl", "txt"]
FORMATS: tuple[InputFormat, ...] = ("csv", "jsonl", "txt")
FORMAT_BY_EXTENSION: dict[str, InputFormat] = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".txt": "txt",
}
STDIN = "-"
_UTF8_BOM = b"\xef\xbb\xbf"
_SKIP_CHUNK_BYTES = 64 * 1024


class ScanInputError(Exception):
    """The input cannot be read at all; the message says what to do about it."""


@dataclass(frozen=True, slots=True)
class InputRow:
    """One post read from the input, or the reason it could not be read."""

    line: int  # physical 1-based line where the record starts
    id: str
    text: str | None  # the post; None exactly when error is set
    error: str | None = None  # "line N: what is wrong", None for a good row


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    text: str  # decoded, line ending kept (the csv module needs it); "\n" if too long
    error: str | None


def guess_format(path: str) -> InputFormat:
    if path == STDIN:
        raise ScanInputError(
            f"cannot guess the format of standard input; pass --format {'|'.join(FORMATS)}"
        )
    suffix = Path(path).suffix.lower()
    if suffix not in FORMAT_BY_EXTENSION:
        known = ", ".join(FORMAT_BY_EXTENSION)
        raise ScanInputError(
            f"{path}: cannot tell the format from the extension {suffix or '(none)'!r} "
            f"(known: {known}); pass --format {'|'.join(FORMATS)}"
        )
    return FORMAT_BY_EXTENSION[suffix]


def read_posts(
    path: str,
    fmt: str | None,
    text_column: str = "text",
    id_column: str | None = None,
    max_line_bytes: int = 1_000_000,
) -> Iterator[InputRow]:
    """Yield the posts in ``path`` (``-`` for stdin) in order, one ``InputRow`` each.

    Checks that need the file as a whole (format, header, columns) run before this returns,
    so a caller can fail early without having written any output.
    """
    fmt = fmt or guess_format(path)
    if fmt not in FORMATS:
        raise ScanInputError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "txt" and id_column is not None:
        raise ScanInputError("plain text input has no columns; drop --id-column or use csv/jsonl")
    stream = sys.stdin.buffer if path == STDIN else _open_file(path)
    try:
        lines = _read_lines(stream, max_line_bytes)
        if fmt == "csv":
            rows = _csv_rows(path, lines, text_column, id_column, max_line_bytes)
        elif fmt == "jsonl":
            rows = _jsonl_rows(lines, text_column, id_column)
        else:
            rows = _txt_rows(lines)
    except BaseException:
        if path != STDIN:
            stream.close()
        raise
    return rows if path == STDIN else _closing_when_done(stream, rows)


def _open_file(path: str) -> BinaryIO:
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise ScanInputError(f"{path}: no such file") from None
    except OSError as exc:
        raise ScanInputError(f"{path}: cannot open: {exc.strerror}") from None


def _closing_when_done(stream: BinaryIO, rows: Iterator[InputRow]) -> Iterator[InputRow]:
    try:
        yield from rows
    finally:
        stream.close()


def _read_lines(stream: BinaryIO, max_line_bytes: int) -> Iterator[_Line]:
    """Split ``stream`` into decoded lines without ever holding more than max_line_bytes of one.

    UTF-8 never uses the byte 0x0A inside a character, so decoding line by line is exact.
    """
    offset = 0
    number = 0
    while True:
        # Room for the longest allowed line plus "\r\n", so a line of exactly the limit fits.
        raw = stream.readline(max_line_bytes + 2)
        if not raw:
            return
        number += 1
        start = offset
        cut_short = len(raw) == max_line_bytes + 2 and not raw.endswith(b"\n")
        offset += len(raw) + (_skip_rest_of_line(stream) if cut_short else 0)
        if number == 1 and raw.startswith(_UTF8_BOM):
            raw = raw[len(_UTF8_BOM) :]
            start += len(_UTF8_BOM)
        if cut_short or len(raw.removesuffix(b"\n").removesuffix(b"\r")) > max_line_bytes:
            yield _Line(number, "\n", f"line {number}: longer than {max_line_bytes} bytes")
            continue
        try:
            text, error = raw.decode("utf-8"), None
        except UnicodeDecodeError as exc:
            text = raw.decode("utf-8", errors="replace")
            error = (
                f"line {number}: byte 0x{raw[exc.start]:02x} at byte offset {start + exc.start} "
                "of the file is not UTF-8; re-encode the file as UTF-8 "
                "(for example: iconv -f latin1 -t utf-8 IN > OUT)"
            )
        yield _Line(number, text, error)


def _skip_rest_of_line(stream: BinaryIO) -> int:
    skipped = 0
    while chunk := stream.readline(_SKIP_CHUNK_BYTES):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _txt_rows(lines: Iterator[_Line]) -> Iterator[InputRow]:
    row_number = 0
    for line in lines:
        text = line.text.removesuffix("\n").removesuffix("\r")
        if line.error is None and not text.strip():
            continue
        row_number += 1
        yield _row(line.number, str(row_number), text, line.error)


def _jsonl_rows(
    lines: Iterator[_Line], text_field: str, id_field: str | None
) -> Iterator[InputRow]:
    row_number = 0
    for line in lines:
        if line.error is None and not line.text.strip():
            continue
        row_number += 1
        fallback_id = "" if id_field else str(row_number)
        if line.error:
            yield _row(line.number, fallback_id, None, line.error)
            continue
        try:
            record = json.loads(line.text)
        except json.JSONDecodeError as exc:
            error = f"line {line.number}: not valid JSON: {exc.msg} at column {exc.colno}"
            yield _row(line.number, fallback_id, None, error)
            continue
        except (ValueError, RecursionError) as exc:
            # RecursionError: hostile input such as a million nested "[" characters.
            yield _row(line.number, fallback_id, None, f"line {line.number}: not valid JSON: {exc}")
            continue
        if not isinstance(record, dict):
            found = _json_type(record)
            error = f"line {line.number}: expected a JSON object, found {found}"
            yield _row(line.number, fallback_id, None, error)
            continue
        post_id, id_error = _json_id(record, id_field, fallback_id)
        text = record.get(text_field)
        if id_error:
            error = f"line {line.number}: {id_error}"
        elif text_field not in record:
            error = f"line {line.number}: no {text_field!r} field"
        elif not isinstance(text, str):
            error = f"line {line.number}: field {text_field!r} is {_json_type(text)}, not a string"
        else:
            error = None
        yield _row(line.number, post_id, text, error)


def _json_id(record: dict, id_field: str | None, fallback: str) -> tuple[str, str | None]:
    if id_field is None:
        return fallback, None
    if id_field not in record:
        return fallback, f"no {id_field!r} field"
    value = record[id_field]
    if isinstance(value, str):
        return value, None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value), None
    return fallback, f"field {id_field!r} is {_json_type(value)}, not a string or an integer"


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


def _row(line: int, post_id: str, text: str | None, error: str | None) -> InputRow:
    return InputRow(line, post_id, None if error else text, error)


class _CsvFeed:
    """Feeds decoded lines to ``csv.reader`` and remembers where the current record started.

    The csv module pulls as many physical lines as a record needs (quoted fields may hold
    newlines), so this is where the record's first line and any decoding problem are known.
    It also stops a record from growing past a size limit: an unclosed quote would otherwise
    swallow the rest of the file into memory.
    """

    def __init__(self, lines: Iterator[_Line], max_record_chars: int) -> None:
        self._lines = lines
        self.max_record_chars = max_record_chars
        self._reset()

    def _reset(self) -> None:
        self.start_line = 0
        self.error: str | None = None
        self._record_chars = 0

    def __iter__(self) -> _CsvFeed:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        if not self.start_line:
            self.start_line = line.number
        self.error = self.error or line.error
        self._record_chars += len(line.text)
        if self._record_chars > self.max_record_chars:
            raise _RecordTooLong
        return line.text

    def finish_record(self) -> tuple[int, str | None]:
        """The finished record's first line and problem, if any; starts a new record."""
        finished = self.start_line, self.error
        self._reset()
        return finished


class _RecordTooLong(Exception):
    pass


def _csv_records(feed: _CsvFeed) -> Iterator[tuple[int, list[str], str | None]]:
    """(first line, fields, error) for each non-blank CSV record, carrying on after bad ones.

    A record with an error may still have fields (read from a partly undecodable line) or none.
    """
    # strict: report `"a"b` and an unclosed quote at the end instead of guessing what was meant.
    reader = csv.reader(feed, strict=True)
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except _RecordTooLong:
            line, _ = feed.finish_record()
            limit = feed.max_record_chars
            error = f"line {line}: record longer than {limit} characters (an unclosed quote?)"
            yield line, [], error
            continue
        except csv.Error as exc:
            line, _ = feed.finish_record()
            yield line, [], f"line {line}: malformed CSV: {exc}"
            continue
        line, error = feed.finish_record()
        if error or fields:
            yield line, fields, error


def _csv_rows(
    path: str,
    lines: Iterator[_Line],
    text_column: str,
    id_column: str | None,
    max_record_chars: int,
) -> Iterator[InputRow]:
    records = _csv_records(_CsvFeed(lines, max_record_chars))
    header = next(records, None)
    if header is None:
        return iter(())
    _, columns, header_error = header
    if header_error:
        raise ScanInputError(f"{path}: cannot read the CSV header: {header_error}")
    text_index = _column_index(path, columns, text_column, "--text-column")
    id_index = _column_index(path, columns, id_column, "--id-column") if id_column else None
    return _csv_body(records, columns, text_index, id_index)


def _column_index(path: str, columns: list[str], name: str, option: str) -> int:
    if name not in columns:
        found = ", ".join(repr(column) for column in columns)
        raise ScanInputError(
            f"{path}: no column {name!r} in the CSV header (columns found: {found}); "
            f"choose one with {option}"
        )
    return columns.index(name)


def _csv_body(
    records: Iterator[tuple[int, list[str], str | None]],
    columns: list[str],
    text_index: int,
    id_index: int | None,
) -> Iterator[InputRow]:
    for row_number, (line, fields, error) in enumerate(records, start=1):
        if error is None and len(fields) != len(columns):
            error = (
                f"line {line}: expected {len(columns)} fields as in the header, not {len(fields)}"
            )
        if id_index is None:
            post_id = str(row_number)
        else:  # kept even for a bad row when it can be read, to help find the row
            post_id = fields[id_index] if id_index < len(fields) else ""
        yield _row(line, post_id, None if error else fields[text_index], error)


def classify_rows(
    rows: Iterable[InputRow],
    classify: Callable[[Iterable[str]], Iterable[Verdict]],
) -> Iterator[tuple[InputRow, Verdict | None]]:
    """Pair every row with its verdict (None for bad rows), in input order.

    ``classify`` gets one stream of the good texts, so it can batch them as it likes and
    work on one batch while it reads the next; the rows it has read but not yet answered
    wait here, bad ones included, so bad rows keep their place.
    """
    waiting: deque[InputRow] = deque()

    def good_texts() -> Iterator[str]:
        for row in rows:
            waiting.append(row)
            if row.text is not None:
                yield row.text

    texts = good_texts()
    for verdict in classify(texts):
        while waiting and waiting[0].text is None:
            yield waiting.popleft(), None
        if not waiting:
            raise RuntimeError("classifier gave a verdict for a text it had not read")
        yield waiting.popleft(), verdict
    # A classifier that stopped early left texts unread, or read but unanswered.
    if next(texts, None) is not None or any(row.text is not None for row in waiting):
        raise RuntimeError("classifier gave fewer verdicts than it was given texts")
    while waiting:
        yield waiting.popleft(), None


def result_record(row: InputRow, verdict: Verdict | None) -> dict:
    """The JSON object written for one input row."""
    if verdict is None:
        return {"id": row.id, "error": row.error, "line": row.line}
    return {"id": row.id, **verdict.to_dict()}


def write_results(results: Iterable[tuple[InputRow, Verdict | None]], path: str) -> int:
    """Write one JSON object per row to ``path`` (``-`` for stdout), in order; return how many."""
    with _open_results(path) as out:
        count = 0
        for row, verdict in results:
            out.write(json.dumps(result_record(row, verdict), ensure_ascii=False) + "\n")
            count += 1
    return count


@contextmanager
def _open_results(path: str) -> Iterator[TextIO]:
    # backslashreplace: a lone surrogate (JSON input may carry one as the escape \ud800) cannot
    # be encoded as UTF-8; written back as \ud800 it stays valid JSON instead of crashing the scan.
    if path == STDIN:
        sys.stdout.flush()
        out = io.TextIOWrapper(
            sys.stdout.buffer, encoding="utf-8", errors="backslashreplace", newline="\n"
        )
        try:
            yield out
        finally:
            out.flush()
            out.detach()  # leaves sys.stdout open and usable
        return
    try:
        out = open(path, "w", encoding="utf-8", errors="backslashreplace", newline="\n")
    except OSError as exc:
        raise ScanInputError(f"{path}: cannot write: {exc.strerror}") from None
    with out:
        yield out
