"""Shared helpers for the ingestion tests."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

from tropewatch.ingest import PostRecord, RecordError

FIXTURES = Path(__file__).parent / "fixtures"


def split(
    results: Iterable[PostRecord | RecordError],
) -> tuple[list[PostRecord], list[RecordError]]:
    """Consume a parser's output into (records, errors), checking nothing else comes out."""
    records, errors = [], []
    for item in results:
        if isinstance(item, PostRecord):
            records.append(item)
        elif isinstance(item, RecordError):
            errors.append(item)
        else:
            raise AssertionError(f"parser yielded {item!r}")
    return records, errors


def zip_directory(directory: Path, target: Path, prefix: str = "") -> Path:
    """Zip every file under ``directory`` (as the platforms' export zips hold them)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(directory.rglob("*")):
            if file.is_file():
                archive.write(file, prefix + file.relative_to(directory).as_posix())
    return target
