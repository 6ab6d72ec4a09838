"""Generic CSV and JSON Lines files, read through a ``ColumnMapping``.

For spreadsheets volunteers keep by hand and for data from tools tropewatch has no parser for.
``source_platform`` says which platform the posts came from, so their ids meet the same posts
imported another way; by default the file type is used.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..convert import convert_items
from ..csvrows import CsvTable
from ..fields import (
    lookup,
    optional_id,
    parse_time,
    required_id,
    required_text,
    web_url,
)
from ..inputs import DEFAULT_LIMITS, Limits, open_text
from ..records import AuthorRecord, PostRecord, RecordError
from .lines import jsonl_object, non_blank_lines
from .mapping import ColumnMapping

MappingOption = ColumnMapping | Mapping[str, str] | None


def parse_csv(
    path: Path,
    *,
    mapping: MappingOption = None,
    source_platform: str = "csv",
    delimiter: str = ",",
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[PostRecord | RecordError]:
    columns = ColumnMapping.from_option(mapping)
    with open_text(Path(path)) as stream:
        table = CsvTable(stream, limits, delimiter)
        columns = columns.for_header(table.header, stream.source)
        yield from convert_items(
            stream.source,
            table.rows(),
            lambda cells, line: mapped_to_record(
                table.as_dict(cells), columns, source_platform, source_line=line
            ),
        )


def parse_jsonl(
    path: Path,
    *,
    mapping: MappingOption = None,
    source_platform: str = "jsonl",
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[PostRecord | RecordError]:
    columns = ColumnMapping.from_option(mapping)
    with open_text(Path(path)) as stream:
        yield from convert_items(
            stream.source,
            non_blank_lines(stream, limits),
            lambda text, line: mapped_to_record(jsonl_object(text), columns, source_platform, line),
        )


def mapped_to_record(
    row: Mapping[str, Any], columns: ColumnMapping, platform: str, source_line: int | None
) -> PostRecord:
    author = _optional(row, columns.author)
    author = author.removeprefix("@") if author else None  # "@ada" and "ada" are one handle
    return PostRecord(
        platform=platform,
        platform_id=required_id(lookup(row, columns.id), columns.id),
        text=required_text(lookup(row, columns.text), columns.text),
        created_at=parse_time(lookup(row, columns.created_at), columns.created_at),
        url=web_url(lookup(row, columns.url)) if columns.url else None,
        author=AuthorRecord(platform, author, handle=author) if author else None,
        parent_platform_id=_optional(row, columns.parent),
        raw=dict(row),
        source_line=source_line,
    )


def _optional(row: Mapping[str, Any], column: str | None) -> str | None:
    return optional_id(lookup(row, column), column) if column else None
