"""Ingestion: reading posts from the files platforms really produce, as plain records.

``parse_file(path, platform, **options)`` streams ``PostRecord``s, with a ``RecordError`` for
each record that has to be skipped, and raises ``IngestError`` when the file itself cannot be
read. No Django here: the importer that stores records lives with the models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from . import bluesky, facebook, mastodon, x
from .errors import IngestError, InvalidRecord
from .generic import ColumnMapping, parse_csv, parse_jsonl
from .inputs import DEFAULT_LIMITS, Limits
from .records import AuthorRecord, PostRecord, RecordError

Parser = Callable[..., Iterator[PostRecord | RecordError]]

PARSERS: dict[str, Parser] = {
    "facebook": facebook.parse,
    "x": x.parse,
    "bluesky": bluesky.parse,
    "mastodon": mastodon.parse,
    "csv": parse_csv,
    "jsonl": parse_jsonl,
}


def parse_file(
    path: str | Path, platform: str, **options: Any
) -> Iterator[PostRecord | RecordError]:
    """Records from ``path`` read as ``platform``'s format. Options go to that parser:
    ``limits`` for all, ``mapping``/``source_platform`` (and ``delimiter`` for csv) for the
    generic formats."""
    parser = PARSERS.get(platform)
    if parser is None:
        raise IngestError(f"unknown platform {platform!r}; choose one of {', '.join(PARSERS)}")
    return parser(Path(path), **options)


__all__ = [
    "DEFAULT_LIMITS",
    "PARSERS",
    "AuthorRecord",
    "ColumnMapping",
    "IngestError",
    "InvalidRecord",
    "Limits",
    "PostRecord",
    "RecordError",
    "parse_file",
]
