"""Mastodon: saved REST API statuses, or an account archive's ActivityPub outbox."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..convert import convert_items
from ..inputs import DEFAULT_LIMITS, Limits, is_zip, open_text, sniff_text
from ..jsonstream import JsonReader
from ..records import PostRecord, RecordError
from .outbox import parse_outbox
from .statuses import status_to_record

# Only an ActivityPub collection has these keys. A key is quoted JSON, which cannot occur
# unescaped inside a string value, so post content cannot fake it.
_OUTBOX_KEY = re.compile(r'"orderedItems"\s*:|"type"\s*:\s*"OrderedCollection')


def parse(path: Path, *, limits: Limits = DEFAULT_LIMITS) -> Iterator[PostRecord | RecordError]:
    path = Path(path)
    if is_zip(path) or _OUTBOX_KEY.search(sniff_text(path)):
        yield from parse_outbox(path, limits)
    else:
        yield from parse_statuses(path, limits)


def parse_statuses(path: Path, limits: Limits) -> Iterator[PostRecord | RecordError]:
    """A JSON array of statuses (one API page), or JSON Lines of statuses or of pages."""
    with open_text(path) as stream:
        reader = JsonReader(stream, limits.max_record_chars)
        yield from convert_items(
            stream.source,
            _statuses(reader),
            lambda status, line: status_to_record(status, source_line=line),
            # boosts repeat a post legitimately; what must be unique is the status itself
            identity=lambda status, record: str(status.get("id")),
        )


def _statuses(reader: JsonReader) -> Iterator[tuple[int, int, object]]:
    number = 0
    for _, line, document in reader.iter_documents():
        for status in document if isinstance(document, list) else [document]:
            number += 1
            yield number, line, status
