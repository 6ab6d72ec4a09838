"""Turning the items of live API pages into records, the way file parsers do.

Live pages overlap: a post published while we page through a search shifts the next page by
one, and a pinned post comes back on every page of a feed. Seeing a post twice is therefore
normal here and is dropped silently, where a file parser would report a duplicate id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..errors import InvalidRecord
from ..records import PostRecord, RecordError


class LiveConverter:
    """Converts items from successive pages of one endpoint, numbering them across pages."""

    def __init__(self, source: str, to_record: Callable[[Any], PostRecord]) -> None:
        self.source = source
        self._to_record = to_record
        self._number = 0
        self._seen: set[str] = set()

    def convert(self, items: Iterable[Any]) -> Iterator[PostRecord | RecordError]:
        for item in items:
            self._number += 1
            try:
                record = self._to_record(item)
            except InvalidRecord as exc:
                yield RecordError(self.source, None, self._number, exc.message, exc.kind)
                continue
            if record.platform_id in self._seen:
                continue
            self._seen.add(record.platform_id)
            yield record
