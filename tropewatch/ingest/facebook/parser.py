"""Facebook: a "Download Your Information" JSON export (file or zip), or a Meta Content
Library CSV export; which one is told from the file itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..inputs import DEFAULT_LIMITS, Limits, is_zip, sniff_text
from ..records import PostRecord, RecordError
from .content_library import parse_content_library
from .dyi import parse_dyi_file, parse_dyi_zip


def parse(path: Path, *, limits: Limits = DEFAULT_LIMITS) -> Iterator[PostRecord | RecordError]:
    path = Path(path)
    if is_zip(path):
        yield from parse_dyi_zip(path, limits)
    elif sniff_text(path, 64).startswith(("{", "[")):
        yield from parse_dyi_file(path, limits)
    else:  # an empty or blank file too: the CSV reader refuses it as empty
        yield from parse_content_library(path, limits)
