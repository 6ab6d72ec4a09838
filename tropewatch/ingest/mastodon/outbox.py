"""A Mastodon account archive: outbox.json (an ActivityPub OrderedCollection of the account's
activities) with actor.json for the author, from the archive zip or extracted files.

The outbox is one JSON object whose ``orderedItems`` can hold years of posts, so the object is
walked key by key and only that array is streamed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from ..convert import convert_items
from ..errors import IngestError, InvalidRecord
from ..fields import dig
from ..inputs import Limits, TextStream, ZipInput, is_zip, open_text
from ..jsonstream import JsonReader
from ..records import AuthorRecord, PostRecord, RecordError
from .statuses import activity_to_record, actor_to_author, actor_url_to_author


def parse_outbox(path: Path, limits: Limits) -> Iterator[PostRecord | RecordError]:
    if not is_zip(path):
        beside = path.parent
        actor = "actor.json" if (beside / "actor.json").is_file() else None
        yield from _read_archive(lambda name: open_text(beside / name), path.name, actor, limits)
        return
    with ZipInput(path, limits) as archive:
        outbox = archive.find(lambda name: name.rsplit("/", 1)[-1] == "outbox.json")
        if not outbox:
            raise IngestError(f"{path}: no outbox.json in this zip; is it a Mastodon archive?")
        actor = archive.find(lambda name: name.rsplit("/", 1)[-1] == "actor.json")
        yield from _read_archive(archive.open_text, outbox[0], actor[0] if actor else None, limits)


def _read_archive(
    open_file: Callable[[str], AbstractContextManager[TextStream]],
    outbox_name: str,
    actor_name: str | None,
    limits: Limits,
) -> Iterator[PostRecord | RecordError]:
    author = None
    if actor_name is not None:
        with open_file(actor_name) as stream:
            author = _read_actor(stream, limits)
    with open_file(outbox_name) as stream:
        yield from _activities(stream, author, limits)


def _read_actor(stream: TextStream, limits: Limits) -> AuthorRecord:
    _, actor = JsonReader(stream, limits.max_record_chars).read_value("actor")
    try:
        return actor_to_author(actor)
    except InvalidRecord as exc:
        raise IngestError(f"{stream.source}: not a usable actor: {exc.message}") from None


def _activities(
    stream: TextStream, author: AuthorRecord | None, limits: Limits
) -> Iterator[PostRecord | RecordError]:
    def to_record(activity: Any, line: int | None) -> PostRecord:
        actor = dig(activity, "actor")
        known = author or (actor_url_to_author(actor) if isinstance(actor, str) else None)
        if known is None:
            raise InvalidRecord("no actor.json and the activity names no actor")
        return activity_to_record(activity, known, source_line=line)

    reader = JsonReader(stream, limits.max_record_chars)
    yield from convert_items(stream.source, _ordered_items(reader), to_record)


def _ordered_items(reader: JsonReader) -> Iterator[tuple[int, int, Any]]:
    found = False
    if reader.peek() != "{":
        raise IngestError(f"{reader.source}: not an ActivityPub outbox: expected a JSON object")
    for key in reader.iter_object_keys():
        if key == "orderedItems" and reader.peek() == "[":
            found = True
            yield from reader.iter_array("activity")
        else:
            reader.read_value(key)
    reader.expect_end()
    if not found:
        raise IngestError(f"{reader.source}: not an ActivityPub outbox: no orderedItems list")
