"""Reading CSV exports row by row with the line each row starts on.

Rows are yielded as dicts keyed by the header. A row whose field count does not match the
header is reported as a bad record rather than silently shifted into the wrong columns, and so
is a row with a cell over the csv module's field size limit (131,072 characters: no post is
that long, an unclosed quote can make a cell that long), and so is a row on a line over
``Limits.max_record_chars``, which is never held; reading goes on with the next line.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .errors import IngestError, InvalidRecord, empty_file
from .inputs import Limits, OverlongLine, TextStream
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
        self._lines = _CsvLines(stream.lines(limits.max_record_chars))
        self._reader = csv.reader(self._lines, delimiter=delimiter, strict=strict)
        self.header = self._read_header()

    def rows(self) -> Iterator[tuple[int, int, list[str] | MalformedRow]]:
        """(row number, line where the row starts, cells); blank lines are skipped."""
        number = 0
        while True:
            start = self._line_num() + 1
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
            line = self._line_num() + 1
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
        except _OverlongLineError as exc:  # the reader starts afresh on the next line
            return MalformedRow(exc.line.problem)
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
                f"{self.source}: unreadable CSV at line {self._line_num()}: {exc}"
            ) from None


    def _line_num(self) -> int:
        """Lines read so far: the csv reader's count leaves out overlong lines."""
        return self._reader.line_num + self._lines.overlong


class _OverlongLineError(Exception):
    def __init__(self, line: OverlongLine) -> None:
        super().__init__(line.problem)
        self.line = line


class _CsvLines:
    """The lines the csv reader reads. An overlong line raises, out of the reader, instead of
    being read, and the reader carries on with the next line when asked for the next row."""

    def __init__(self, lines: Iterator[tuple[int, str | OverlongLine]]) -> None:
        self._lines = lines
        self.overlong = 0  # overlong lines met so far

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        _, line = next(self._lines)
        if isinstance(line, OverlongLine):
            self.overlong += 1
            raise _OverlongLineError(line)
        return line


def _blank_line(cells: list[str]) -> bool:
    """Whether the cells are those of an empty or whitespace-only line."""
    return len(cells) <= 1 and not "".join(cells).strip()
