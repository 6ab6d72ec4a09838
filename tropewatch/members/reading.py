"""Reading a member list CSV into normalised identifiers, row by row, without Django.

The file is read as the importer reads exports (strict UTF-8, a row with the wrong number of
cells or a stray quote reported with its line). A cell that cannot be read is reported with
its line and column and the reason, never its text; the row's other identifiers still count.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tropewatch.ingest.csvrows import CsvTable
from tropewatch.ingest.errors import IngestError, InvalidRecord
from tropewatch.ingest.inputs import DEFAULT_LIMITS, open_text

from . import normalize
from .normalize import PLATFORMS, BadIdentifier, Identifier

# Header names (case, spaces, "_" and "-" ignored) and what each column holds.
_FIELD_NAMES = {
    "email": "email", "emailaddress": "email",
    "phone": "phone", "phonenumber": "phone", "mobile": "phone", "telephone": "phone",
    "name": "name", "fullname": "name",
    "postcode": "postcode", "postalcode": "postcode", "zip": "postcode", "zipcode": "postcode",
    "twitter": "x", "twitterhandle": "x",
    **{platform: platform for platform in PLATFORMS},
    **{f"{platform}handle": platform for platform in PLATFORMS},
}
COLUMN_NAMES = ("email", "phone", "name", "postcode", *PLATFORMS)


@dataclass(frozen=True, slots=True)
class MemberRow:
    line: int
    identifiers: frozenset[Identifier]


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    message: str


Read = MemberRow | RowError


@dataclass(frozen=True, slots=True)
class Columns:
    """Which column holds which field. Fields other than name and postcode may repeat (a phone
    and a mobile column, say); a name or a postcode column without the other is not read."""

    fields: dict[str, str]  # header name -> field
    unused: list[str]  # header names not read

    @classmethod
    def from_header(cls, header: list[str], source: str) -> Columns:
        # A file without a header would have its first member read as column names, which
        # are printed: refuse before anything quotes them.
        if any(_looks_like_data(name) for name in header):
            raise IngestError(
                f"{source}: the first row holds an email address, handle or phone number, "
                "not column names: add a header row naming the columns (e.g. email,phone,x)"
            )
        fields = {name: _FIELD_NAMES[_folded(name)] for name in header
                  if _folded(name) in _FIELD_NAMES}
        for single in _NAME_AND_POSTCODE:
            repeated = [name for name, field in fields.items() if field == single]
            if len(repeated) > 1:
                raise IngestError(f"{source}: the header has more than one {single} column: "
                                  f"{repeated}")
        if not _NAME_AND_POSTCODE <= set(fields.values()):
            fields = {name: field for name, field in fields.items()
                      if field not in _NAME_AND_POSTCODE}
        if not fields:
            raise IngestError(
                f"{source}: the header names no column of identifiers tropewatch reads; name "
                f"one of {', '.join(COLUMN_NAMES)} (a name counts only with a postcode)"
            )
        return cls(fields, [name for name in header if name not in fields])


_NAME_AND_POSTCODE = frozenset({"name", "postcode"})


def _looks_like_data(header_name: str) -> bool:
    return "@" in header_name or sum(char.isdigit() for char in header_name) >= 7


def _folded(header_name: str) -> str:
    return "".join(char for char in header_name.casefold() if char.isalnum())


@contextmanager
def member_list_rows(path: Path, region: str) -> Iterator[tuple[Columns, Iterator[Read]]]:
    """The file's columns (read first, so that a file without identifiers is refused before
    any row) and its rows, read as they are iterated. ``IngestError``: the file cannot be read
    at all."""
    with open_text(path) as stream:
        table = CsvTable(stream, DEFAULT_LIMITS, strict=True)
        columns = Columns.from_header(table.header, stream.source)
        yield columns, _rows(table, columns, region)


def _rows(table: CsvTable, columns: Columns, region: str) -> Iterator[Read]:
    for _, line, cells in table.rows():
        try:
            row = table.as_dict(cells)
        except InvalidRecord as exc:
            yield RowError(line, exc.message)
            continue
        yield from _read_row(row, line, columns, region)


def _read_row(row: dict[str, str], line: int, columns: Columns, region: str) -> Iterator[Read]:
    identifiers: set[Identifier] = set()
    problems: list[str] = []
    by_field: dict[str, str] = {}
    for name, field in columns.fields.items():
        text = row[name].strip()
        if not text:
            continue
        if field in _NAME_AND_POSTCODE:
            by_field[field] = text
            continue
        try:
            identifiers.add(normalize.single(field, text, region))
        except BadIdentifier as exc:
            problems.append(f"column {name!r}: {exc}")
    if "name" in by_field and "postcode" in by_field:
        try:
            identifiers.add(normalize.name_and_postcode(by_field["name"], by_field["postcode"]))
        except BadIdentifier as exc:
            problems.append(f"name and postcode: {exc}")
    if problems:
        kept = "; the row's other identifiers are kept" if identifiers else ""
        yield RowError(line, "; ".join(problems) + kept)
    elif not identifiers:
        yield RowError(line, "no identifier (a name counts only with a postcode)")
    if identifiers:
        yield MemberRow(line, frozenset(identifiers))

