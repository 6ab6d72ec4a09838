"""Facebook "Download Your Information" JSON: posts and comments, in groups and elsewhere.

The export has no post ids, so each post gets a stable synthetic id from what identifies it:
its kind, time, author and text. Importing the same export (or a later one that still holds the
post) again therefore finds the same post. Authors have no ids either; they are named only.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..convert import convert_items
from ..errors import IngestError, InvalidRecord
from ..fields import as_object, dig, media_only, parse_time
from ..inputs import Limits, TextStream, ZipInput, open_text
from ..jsonstream import JsonReader
from ..records import AuthorRecord, PostRecord, RecordError
from .mojibake import fix_text, fix_value

PLATFORM = "facebook"

# Files of the export that hold posts or comments, in the current and the older folder layout.
_POST_FILES = re.compile(
    r"(?:^|/)(?:your_posts_in_groups|group_posts_and_comments|your_comments_in_groups"
    r"|comments|your_posts(?:__check_ins__photos_and_videos)?_\d+)\.json$"
)
_PROFILE_FILE = re.compile(r"(?:^|/)profile_information\.json$")
# English export titles name the author first: "Ada Lovelace posted in Analysts."
_TITLE_AUTHOR = re.compile(r"^(?P<name>.+?) (?:posted|shared|wrote|updated|commented|replied)\b")


def parse_dyi_file(path: Path, limits: Limits) -> Iterator[PostRecord | RecordError]:
    """One posts or comments JSON file; its posts' author is read from their titles."""
    with open_text(path) as stream:
        yield from _entries(stream, None, limits)


def parse_dyi_zip(path: Path, limits: Limits) -> Iterator[PostRecord | RecordError]:
    """Every posts and comments file of the export zip; the author is the profile's name."""
    with ZipInput(path, limits) as archive:
        names = archive.find(_POST_FILES.search)
        if not names:
            raise IngestError(
                f"{path}: no posts or comments JSON in this zip; was the export made in JSON"
                " format with posts, comments and groups selected?"
            )
        owner = None
        profile = archive.find(_PROFILE_FILE.search)
        if profile:
            with archive.open_text(profile[0]) as stream:
                _, info = JsonReader(stream, limits.max_record_chars).read_value("profile")
            name = dig(info, "profile_v2", "name", "full_name")
            owner = fix_text(name) if isinstance(name, str) and name else None
        for name in names:
            with archive.open_text(name) as stream:
                yield from _entries(stream, owner, limits)


def entry_to_record(entry: Any, owner: str | None, *, source_line: int | None = None) -> PostRecord:
    """One element of a DYI posts or comments list (``owner``: the account's name, if known)."""
    raw = as_object(entry, "entry")
    try:
        fixed = fix_value(raw)
    except RecursionError:
        raise InvalidRecord("entry is nested too deeply") from None
    comment = _comment(fixed)
    if comment is not None:
        kind = "comment"
        text = comment.get("comment")
        author = comment.get("author") or owner
        when = comment.get("timestamp", fixed.get("timestamp"))
    else:
        kind = "post"
        text = _post_text(fixed)
        author = owner or _author_from_title(fixed.get("title"))
        when = fixed.get("timestamp")
    if not isinstance(text, str) or not text.strip():
        if fixed.get("attachments"):  # a photo or video shared without words
            raise media_only("comment" if kind == "comment" else "data[].post")
        raise InvalidRecord(f"no text to scan: this {kind} has no text", "missing_text")
    created_at = parse_time(when, "timestamp")
    name = author if isinstance(author, str) and author else None
    return PostRecord(
        platform=PLATFORM,
        platform_id=_synthetic_id(kind, created_at.timestamp(), name, text),
        text=text,
        created_at=created_at,
        url=None,  # the export does not link to posts
        author=AuthorRecord(PLATFORM, f"name:{name}", display_name=name) if name else None,
        raw=dict(raw),
        source_line=source_line,
    )


def _entries(
    stream: TextStream, owner: str | None, limits: Limits
) -> Iterator[PostRecord | RecordError]:
    reader = JsonReader(stream, limits.max_record_chars)
    yield from convert_items(
        stream.source,
        _listed_entries(reader),
        lambda entry, line: entry_to_record(entry, owner, source_line=line),
    )


def _listed_entries(reader: JsonReader) -> Iterator[tuple[int, int, Any]]:
    """Entries of a top-level list (your_posts_1.json) or of the list under the one key of
    the object (``{"group_posts_v2": [...]}``, ``{"group_comments_v2": [...]}`` ...)."""
    first = reader.peek()
    if first == "[":
        yield from reader.iter_array("entry")
    elif first == "{":
        found = False
        for key in reader.iter_object_keys():
            if reader.peek() == "[":
                found = True
                yield from reader.iter_array(f"{key} entry")
            else:
                reader.read_value(key)
        if not found:
            raise IngestError(f"{reader.source}: no list of posts or comments in this JSON")
    else:
        raise IngestError(
            f"{reader.source}: not a Facebook JSON export: expected a JSON object or list"
        )
    reader.expect_end()


def _comment(entry: dict[str, Any]) -> dict[str, Any] | None:
    for item in _data_items(entry):
        if isinstance(item.get("comment"), dict):
            return item["comment"]
    return None


def _post_text(entry: dict[str, Any]) -> str | None:
    texts = [item.get("post") for item in _data_items(entry)]
    return "\n\n".join(text for text in texts if isinstance(text, str) and text.strip()) or None


def _data_items(entry: dict[str, Any]) -> list[dict[str, Any]]:
    data = entry.get("data")
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


def _author_from_title(title: Any) -> str | None:
    match = _TITLE_AUTHOR.match(title) if isinstance(title, str) else None
    return match["name"] if match else None


def _synthetic_id(kind: str, timestamp: float, author: str | None, text: str) -> str:
    key = json.dumps([kind, timestamp, author, text], ensure_ascii=False)
    return "dyi-" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
