"""Bluesky offline files: saved API responses (getAuthorFeed, getTimeline, searchPosts,
getPosts, listRecords), JSON arrays of post views or feed items, and JSON Lines of any of
these or of Jetstream events."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..convert import convert_items
from ..fields import dig
from ..inputs import DEFAULT_LIMITS, Limits, open_text
from ..jsonstream import JsonReader
from ..records import PostRecord, RecordError
from .posts import item_to_record

# The list inside each saved API response: feeds, post searches/lookups, repo listings.
_PAGE_KEYS = ("feed", "posts", "records")


def parse(path: Path, *, limits: Limits = DEFAULT_LIMITS) -> Iterator[PostRecord | RecordError]:
    with open_text(Path(path)) as stream:
        reader = JsonReader(stream, limits.max_record_chars)
        yield from convert_items(
            stream.source,
            _items(reader),
            lambda item, line: item_to_record(item, source_line=line),
            # the same post reposted by two accounts appears twice in a feed, legitimately
            identity=lambda item, record: (
                record.platform_id,
                str(dig(item, "reason", "by", "did")),
            ),
        )


def _items(reader: JsonReader) -> Iterator[tuple[int, int, Any]]:
    number = 0
    for _, line, document in reader.iter_documents():
        for item in _page_items(document):
            number += 1
            yield number, line, item


def _page_items(document: Any) -> list[Any]:
    if isinstance(document, list):
        return document
    if isinstance(document, Mapping):
        for key in _PAGE_KEYS:
            if isinstance(document.get(key), list):
                return document[key]
    return [document]
