"""Reading CSV exports row by row with the line each row starts on.

Rows are yielded as dicts keyed by the header. A row whose field count does not match the
header is reported as a bad record rather than silently shifted into the wrong columns, and so
is a row with a cell over the csv module's field size limit (131,072 characters: no post is
that long, an unclosed quote can make a cell that long); reading goes on with the next line.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .errors import IngestError, InvalidRecord, empty_file
from .inputs import Limits, TextStream
from .sanitize import scrub_text

# How the csv module words the error, which has no type of its own, since Python 2.5.
_FIELD_TOO_LARGE = "field larger than field limit"


@dataclass(frozen=True, slots=True)
class MalformedRow:
    """A row the csv module could not parse, in place of its cells: a cell over the field
    size limit, or (strict tables only) any csv error."""

    problem: str


class CsvTable:
    """``strict`` is how ``tropewatch scan`` reads: a stray or unclosed quote is an error
    instead of being guessed at (``"a"b`` read as ``ab``), and since hand-made files have
    such rows, each row the csv module cannot parse becomes a bad record and reading carries
    on. Without it (the importer) a csv error other than a cell over the size limit stops the
    whole file. Blank lines before the header are skipped; a file with nothing else is
    refused as empty (``IngestError``)."""

    def __init__(
        self,
        stream: TextStream,
        limits: Limits,
        delimiter: str = ",",
        *,
        strict: bool = False,
    ) -> None:
        self.source = stream.source
        self._strict = strict
        self._lines = stream.lines(limits.max_record_chars)
        self._reader = csv.reader(
            (line for _, line in self._lines), delimiter=delimiter, strict=strict
        )
        self.header = self._read_header()

    def rows(self) -> Iterator[tuple[int, int, list[str] | MalformedRow]]:
        """(row number, line where the row starts, cells); blank lines are skipped."""
        number = 0
        while True:
            start = self._reader.line_num + 1
            cells = self._next_cells()
            if cells is None:
                return
            if cells:
                number += 1
                yield number, start, cells

    def as_dict(self, cells: list[str] | MalformedRow) -> dict[str, Any]:
        if isinstance(cells, MalformedRow):
            raise InvalidRecord(f"malformed CSV: {cells.problem}")
        if len(cells) != len(self.header):
            raise InvalidRecord(
                f"row has {len(cells)} fields but the header has {len(self.header)}"
            )
        return dict(zip(self.header, (scrub_text(cell) for cell in cells), strict=True))

    def _read_header(self) -> list[str]:
        while True:
            line = self._reader.line_num + 1
            header = self._next_cells()
            if header is None:
                raise empty_file(self.source)
            if isinstance(header, MalformedRow) or not _blank_line(header):
                break
        if isinstance(header, MalformedRow):
            raise IngestError(
                f"{self.source}: line {line}: unreadable CSV header: {header.problem}"
            )
        if not any(name.strip() for name in header):
            raise IngestError(f"{self.source}: line {line}: the header row names no columns")
        header = [scrub_text(name.strip()) for name in header]
        repeated = sorted(name for name, count in Counter(header).items() if count > 1)
        if repeated:
            raise IngestError(f"{self.source}: line {line}: repeated column names {repeated}")
        return header

    def _next_cells(self) -> list[str] | MalformedRow | None:
        try:
            return next(self._reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            # The reader starts afresh on the next line.
            if str(exc).startswith(_FIELD_TOO_LARGE):
                return MalformedRow(
                    f"a cell is longer than {csv.field_size_limit()} characters, "
                    "the most a CSV cell may hold"
                )
            if self._strict:
                return MalformedRow(str(exc))
            raise IngestError(
                f"{self.source}: unreadable CSV at line {self._reader.line_num}: {exc}"
            ) from None


def _blank_line(cells: list[str]) -> bool:
    """Whether the cells are those of an empty or whitespace-only line."""
    return len(cells) <= 1 and not "".join(cells).strip()
