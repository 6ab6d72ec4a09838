"""Reading CSV exports row by row with the line each row starts on.

Rows are yielded as dicts keyed by the header. A row whose field count does not match the
header is reported as a bad record rather than silently shifted into the wrong columns.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .errors import IngestError, InvalidRecord
from .inputs import Limits, TextStream
from .sanitize import scrub_text


@dataclass(frozen=True, slots=True)
class MalformedRow:
    """A row the csv module could not parse, in place of its cells (strict tables only)."""

    problem: str


class CsvTable:
    """``strict`` is how ``tropewatch scan`` reads: a stray or unclosed quote is an error
    instead of being guessed at (``"a"b`` read as ``ab``), and since hand-made files have
    such rows, each row the csv module cannot parse becomes a bad record and reading carries
    on; ``allow_empty`` gives a file with no lines at all an empty header and no rows.
    Without them (the importer) a csv error and an empty file stop the whole file."""

    def __init__(
        self,
        stream: TextStream,
        limits: Limits,
        delimiter: str = ",",
        *,
        strict: bool = False,
        allow_empty: bool = False,
    ) -> None:
        self.source = stream.source
        self._strict = strict
        self._lines = stream.lines(limits.max_record_chars)
        self._reader = csv.reader(
            (line for _, line in self._lines), delimiter=delimiter, strict=strict
        )
        self.header = self._read_header(allow_empty)

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

    def _read_header(self, allow_empty: bool) -> list[str]:
        header = self._next_cells()
        if header is None and allow_empty:
            return []
        if isinstance(header, MalformedRow):
            raise IngestError(f"{self.source}: line 1: unreadable CSV header: {header.problem}")
        if not header or not any(name.strip() for name in header):
            raise IngestError(f"{self.source}: no header row: the file is empty")
        header = [scrub_text(name.strip()) for name in header]
        repeated = sorted(name for name, count in Counter(header).items() if count > 1)
        if repeated:
            raise IngestError(f"{self.source}: line 1: repeated column names {repeated}")
        return header

    def _next_cells(self) -> list[str] | MalformedRow | None:
        try:
            return next(self._reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            if self._strict:  # the reader starts afresh on the next line
                return MalformedRow(str(exc))
            raise IngestError(
                f"{self.source}: unreadable CSV at line {self._reader.line_num}: {exc}"
            ) from None
