"""X/Twitter: the account archive (zip, folder or data/tweets.js) or saved API v2 pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..inputs import DEFAULT_LIMITS, Limits, is_zip, sniff_text
from ..records import PostRecord, RecordError
from .api import parse_api_pages
from .archive import parse_archive


def parse(path: Path, *, limits: Limits = DEFAULT_LIMITS) -> Iterator[PostRecord | RecordError]:
    path = Path(path)
    # A .js file can only be an archive file, so one without the window.YTD prefix is an error
    # there rather than a guess at another format.
    if (path.is_dir() or is_zip(path) or path.suffix == ".js"
            or sniff_text(path, 64).startswith("window.YTD.")):
        yield from parse_archive(path, limits)
    else:
        yield from parse_api_pages(path, limits)
