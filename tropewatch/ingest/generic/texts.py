"""Each row's post id and text from a CSV, JSON Lines or plain-text file, for scanning.

``tropewatch scan`` judges text and stores nothing, so it reads no times or authors and
keeps every row, in input order: a row that cannot be read becomes a ``TextRow`` carrying
its ``RecordError``, and a repeated id or an empty text is scanned like any other row
(the importer, which stores posts, skips both).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..convert import RawItem
from ..csvrows import CsvTable, MalformedRow
from ..errors import IngestError, InvalidRecord
from ..fields import lookup, optional_id, optional_text
from ..inputs import DEFAULT_LIMITS, Limits, TextStream
from ..records import RecordError
from ..sanitize import scrub_text
from .lines import jsonl_object, non_blank_lines, readable, txt_posts
from .mapping import require_columns

TEXT_FORMATS = ("csv", "jsonl", "txt")


@dataclass(frozen=True, slots=True)
class TextRow:
    """One row: its post's id and text, or the error that makes it unreadable."""

    line: int  # where the row starts
    id: str  # the id field, or the row number when no id field is named
    text: str | None  # None exactly when error is set
    error: RecordError | None = None


def read_text_rows(
    stream: TextStream,
    fmt: str,
    text_field: str = "text",
    id_field: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[TextRow]:
    """The rows of ``stream`` read as ``fmt``. Fields are CSV columns or JSON keys (dotted
    paths reach into nested objects); a plain-text row's one field is its line, whatever
    ``text_field`` calls it. Without ``id_field`` a row's id is its number, counting
    non-blank rows from 1 after any CSV header.

    What concerns the file as a whole (the format, the CSV header, that the file is not
    empty or blank) is checked before this returns, so a caller can refuse the file before
    writing anything; a file that turns out unreadable further on raises ``IngestError``
    while the rows are read.
    """
    if fmt == "csv":
        rows = _csv_rows(stream, limits, text_field, id_field)
    elif fmt == "jsonl":
        rows = _Rows(non_blank_lines(stream, limits), jsonl_object)
    elif fmt == "txt":
        if id_field is not None:
            raise IngestError(
                f"{stream.source}: plain text has no id column: a line's id is its number"
            )
        rows = _Rows(txt_posts(stream, limits), lambda post: {text_field: readable(post)})
    else:
        raise IngestError(f"unknown format {fmt!r}; choose one of {', '.join(TEXT_FORMATS)}")
    return _text_rows(stream.source, rows, text_field, id_field)


def _no_readable_id(item: Any) -> str:
    return ""


@dataclass(frozen=True, slots=True)
class _Rows:
    items: Iterable[RawItem]
    decode: Callable[[Any], Mapping[str, Any]]  # raises InvalidRecord for a bad row
    # The id of a row that cannot be decoded, where it can still be read; else "".
    readable_id: Callable[[Any], str] = _no_readable_id


def _csv_rows(stream: TextStream, limits: Limits, text_field: str, id_field: str | None) -> _Rows:
    table = CsvTable(stream, limits, strict=True)
    wanted = {"text": text_field} | ({"id": id_field} if id_field is not None else {})
    require_columns(table.header, wanted, stream.source)
    if id_field is None:
        return _Rows(table.rows(), table.as_dict)
    column = table.header.index(id_field)

    def readable_id(cells: list[str] | MalformedRow) -> str:
        # A row broken by a stray comma still shows its id, so it can be found and mended.
        if isinstance(cells, MalformedRow) or column >= len(cells):
            return ""
        return scrub_text(cells[column])

    return _Rows(table.rows(), table.as_dict, readable_id)


def _text_rows(
    source: str, rows: _Rows, text_field: str, id_field: str | None
) -> Iterator[TextRow]:
    for number, line, item in rows.items:
        post_id = str(number) if id_field is None else rows.readable_id(item)
        try:
            row = rows.decode(item)
            if id_field is not None:
                post_id = _id(row, id_field)
            text = _text(row, text_field)
        except InvalidRecord as exc:
            error = RecordError(source, line, number, exc.message, exc.kind)
            yield TextRow(line, post_id, None, error)
            continue
        yield TextRow(line, post_id, text)


def _id(row: Mapping[str, Any], field: str) -> str:
    value = lookup(row, field)
    if value is None:
        raise InvalidRecord(f"missing id: {field} is absent or null", "missing_id")
    return optional_id(value, field) or ""  # an empty CSV cell is an id too: scan keeps it


def _text(row: Mapping[str, Any], field: str) -> str:
    text = optional_text(lookup(row, field), field)
    if text is None:
        raise InvalidRecord(f"no text to scan: {field} is absent or null", "missing_text")
    return text
