"""Meta Content Library CSV exports of Facebook posts and comments.

Column names are the Content Library's API fields, flattened with dots: posts carry
``post_owner.*`` and ``statistics.*``, comments ``owner.*``, ``post_id`` and
``parent_comment_id``. The export has no permalink; ``mcl_url`` (a Content Library link, not a
public one) is used where present.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..convert import convert_items
from ..csvrows import CsvTable
from ..fields import (
    optional_id,
    optional_text,
    parse_time,
    reach_from,
    required_id,
    required_text,
    web_url,
)
from ..inputs import Limits, open_text
from ..records import AuthorRecord, PostRecord, RecordError

PLATFORM = "facebook"

_REACH = {
    "likes": "statistics.reaction_count",
    "shares": "statistics.share_count",
    "replies": "statistics.comment_count",
    "views": "statistics.views",
}


def parse_content_library(path: Path, limits: Limits) -> Iterator[PostRecord | RecordError]:
    with open_text(path) as stream:
        table = CsvTable(stream, limits)
        yield from convert_items(
            stream.source,
            table.rows(),
            lambda cells, line: row_to_record(table.as_dict(cells), source_line=line),
        )


def row_to_record(row: Mapping[str, Any], *, source_line: int | None = None) -> PostRecord:
    post_id = required_id(row.get("id"), "id")
    # A comment names its post and, when it answers another comment, that comment.
    on_post = optional_id(row.get("post_id"), "post_id")
    on_comment = optional_id(row.get("parent_comment_id"), "parent_comment_id")
    return PostRecord(
        platform=PLATFORM,
        platform_id=post_id,
        text=required_text(row.get("text"), "text"),
        created_at=parse_time(row.get("creation_time"), "creation_time"),
        url=web_url(row.get("url")) or web_url(row.get("mcl_url")),
        author=_owner(row, "post_owner") or _owner(row, "owner"),
        parent_platform_id=on_comment or on_post,
        thread_root_id=on_post,
        reach=reach_from(row, _REACH),
        raw=dict(row),
        source_line=source_line,
    )


def _owner(row: Mapping[str, Any], prefix: str) -> AuthorRecord | None:
    owner_id = optional_id(row.get(f"{prefix}.id"), f"{prefix}.id")
    if owner_id is None:
        return None
    return AuthorRecord(
        platform=PLATFORM,
        platform_id=owner_id,
        handle=optional_text(row.get(f"{prefix}.username"), f"{prefix}.username") or None,
        display_name=optional_text(row.get(f"{prefix}.name"), f"{prefix}.name") or None,
    )
