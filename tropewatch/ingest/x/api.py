"""X API v2 responses saved to a file: one page, a JSON array of pages, or one page per line
(as twarc2 and most collection scripts write them). Each page is ``data`` (the tweets) with
``includes.users`` (their authors) and ``meta.next_token``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..convert import convert_items
from ..fields import dig
from ..inputs import Limits, open_text
from ..jsonstream import JsonReader, OverlongValue
from ..records import PostRecord, RecordError
from .tweets import api_tweet_to_record


def parse_api_pages(path: Path, limits: Limits) -> Iterator[PostRecord | RecordError]:
    with open_text(path) as stream:
        reader = JsonReader(stream, limits.max_record_chars)
        yield from convert_items(
            stream.source,
            _tweets_with_users(reader),
            lambda item, line: api_tweet_to_record(item[0], item[1], source_line=line),
        )


def _tweets_with_users(reader: JsonReader) -> Iterator[tuple[int, int, Any]]:
    """(tweet number, line of its page, (tweet, the page's users by id))."""
    number = 0
    for _, line, document in reader.iter_documents():
        if isinstance(document, OverlongValue):  # a page or tweet too large: one bad record
            number += 1
            yield number, line, document
            continue
        for tweet, users in _page_tweets(document):
            number += 1
            yield number, line, (tweet, users)


def _page_tweets(document: Any) -> Iterator[tuple[Any, Mapping[str, Any]]]:
    if not (isinstance(document, Mapping) and ("data" in document or "meta" in document)):
        yield document, {}  # a bare tweet (or something else, which the converter reports)
        return
    listed = dig(document, "includes", "users")
    users = {
        user["id"]: user
        for user in (listed if isinstance(listed, list) else [])
        if isinstance(user, Mapping) and isinstance(user.get("id"), str)
    }
    data = document.get("data", [])
    # GET /2/tweets/:id answers with one object; searches and timelines with a list
    for tweet in data if isinstance(data, list) else [data]:
        yield tweet, users
