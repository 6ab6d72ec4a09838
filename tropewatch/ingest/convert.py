"""Turning a parser's raw items into records: bad records and duplicate ids become RecordErrors.

Every parser ends here, so "skip and report" (a record over the size limit, read as an
``OverlongValue``, too), "the first of two equal ids wins" and the longest text a post may
have (``records.MAX_TEXT_CHARS``) are the same on every platform.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any

from .errors import InvalidRecord
from .jsonstream import OverlongValue
from .records import MAX_TEXT_CHARS, PostRecord, RecordError

# (record number, line where it starts or None, the decoded record)
RawItem = tuple[int, int | None, Any]
ToRecord = Callable[[Any, int | None], PostRecord]


def convert_items(
    source: str,
    items: Iterable[RawItem],
    to_record: ToRecord,
    identity: Callable[[Any, PostRecord], Hashable] | None = None,
) -> Iterator[PostRecord | RecordError]:
    """Convert each item. ``identity(item, record)`` says what makes two input records the
    same one, for duplicate detection; by default the post id. (A boost or repost repeats a
    post legitimately, so those platforms key on the repost instead.)"""
    first_seen: dict[Hashable, int] = {}
    for number, line, item in items:
        if isinstance(item, OverlongValue):
            yield RecordError(source, line, number, item.problem)
            continue
        try:
            record = to_record(item, line)
        except InvalidRecord as exc:
            yield RecordError(source, line, number, exc.message, exc.kind)
            continue
        if len(record.text) > MAX_TEXT_CHARS:
            yield RecordError(source, line, number, f"the text is {len(record.text):,} characters "
                              f"long, more than the {MAX_TEXT_CHARS:,} a post may have")
            continue
        key = record.platform_id if identity is None else identity(item, record)
        earlier = first_seen.setdefault(key, number)
        if earlier != number:
            yield RecordError(
                source,
                line,
                number,
                f"duplicate id {record.platform_id}: record {number} repeats record {earlier}",
                "duplicate",
            )
            continue
        yield record
