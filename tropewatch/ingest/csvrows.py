"""Reading CSV exports row by row with the line each row starts on.

Rows are yielded as dicts keyed by the header. A row whose field count does not match the
header is reported as a bad record rather than silently shifted into the wrong columns.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from typing import Any

from .errors import IngestError, InvalidRecord
from .inputs import Limits, TextStream
from .sanitize import scrub_text


class CsvTable:
    def __init__(self, stream: TextStream, limits: Limits, delimiter: str = ",") -> None:
        self.source = stream.source
        self._lines = stream.lines(limits.max_record_chars)
        self._reader = csv.reader((line for _, line in self._lines), delimiter=delimiter)
        self.header = self._read_header()

    def rows(self) -> Iterator[tuple[int, int, list[str]]]:
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

    def as_dict(self, cells: list[str]) -> dict[str, Any]:
        if len(cells) != len(self.header):
            raise InvalidRecord(
                f"row has {len(cells)} fields but the header has {len(self.header)}"
            )
        return dict(zip(self.header, (scrub_text(cell) for cell in cells), strict=True))

    def _read_header(self) -> list[str]:
        header = self._next_cells()
        if not header or not any(name.strip() for name in header):
            raise IngestError(f"{self.source}: no header row: the file is empty")
        header = [scrub_text(name.strip()) for name in header]
        repeated = sorted(name for name, count in Counter(header).items() if count > 1)
        if repeated:
            raise IngestError(f"{self.source}: line 1: repeated column names {repeated}")
        return header

    def _next_cells(self) -> list[str] | None:
        try:
            return next(self._reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            raise IngestError(
                f"{self.source}: unreadable CSV at line {self._reader.line_num}: {exc}"
            ) from None
