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


def input_files(path: str | Path, platform: str) -> list[Path]:
    """The files an import of ``path`` reads, for its fingerprint and its progress: the file
    itself, or the data files of an X archive given as a folder."""
    path = Path(path)
    if not path.is_dir():
        return [path]
    if platform != "x":
        raise IngestError(f"{path}: is a folder; give the export file or its zip (only an X "
                          "archive can be imported as a folder)")
    return x.ArchiveFiles.of(path).all


def parse_file(
    path: str | Path, platform: str, **options: Any
) -> Iterator[PostRecord | RecordError]:
    """Records from ``path`` read as ``platform``'s format. Options go to that parser:
    ``limits`` for all, ``mapping``/``source_platform`` (and ``delimiter`` for csv) for the
    generic formats. ``path`` is a file, or a folder where ``input_files`` allows one."""
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
    "input_files",
    "parse_file",
]
