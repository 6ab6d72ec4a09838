"""Which column (CSV) or key (JSON Lines) holds each part of a post.

Keys of JSON Lines records may be dotted paths into nested objects ("user.screen_name").
Columns the person named must exist; optional columns left at their default names are used
only when the file has them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..errors import IngestError

REQUIRED_FIELDS = ("id", "text", "created_at")
OPTIONAL_FIELDS = ("author", "url", "parent")


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    id: str = "id"
    text: str = "text"
    created_at: str = "created_at"  # ISO 8601, or epoch seconds
    author: str | None = "author"  # the author's handle or id
    url: str | None = "url"
    parent: str | None = "parent"  # id of the post this one replies to
    named: frozenset[str] = field(default=frozenset())  # fields given explicitly

    @classmethod
    def from_option(cls, option: ColumnMapping | Mapping[str, str] | None) -> ColumnMapping:
        if option is None or isinstance(option, ColumnMapping):
            return option or cls()
        known = REQUIRED_FIELDS + OPTIONAL_FIELDS
        unknown = sorted(set(option) - set(known))
        if unknown:
            raise IngestError(f"unknown mapping fields {unknown}; known fields: {list(known)}")
        blank = [key for key, column in option.items() if not (isinstance(column, str) and column)]
        if blank:
            raise IngestError(f"mapping fields {sorted(blank)} need a column name")
        return cls(**option, named=frozenset(option))

    def for_header(self, header: Sequence[str], source: str) -> ColumnMapping:
        """This mapping checked against a CSV header, with absent default columns dropped."""
        wanted = {name: getattr(self, name) for name in sorted(set(REQUIRED_FIELDS) | self.named)}
        require_columns(header, wanted, source)
        absent = {name: None for name in OPTIONAL_FIELDS if getattr(self, name) not in header}
        return replace(self, **absent)


def require_columns(header: Sequence[str], wanted: Mapping[str, str], source: str) -> None:
    """Refuse a CSV header that lacks a wanted column (field -> column), naming the columns
    it does have, since the usual cause is a column name spelled differently."""
    missing = {name: column for name, column in wanted.items() if column not in header}
    if missing:
        named = ", ".join(f"{column!r} (for {name})" for name, column in missing.items())
        found = ", ".join(repr(column) for column in header)
        raise IngestError(
            f"{source}: line 1: the header has no column {named}; its columns are {found}"
        )
