"""What every parser produces: one ``PostRecord`` per post, or a ``RecordError`` for a bad record.

The records are plain data with no Django in sight, so the importer, the live connectors and
the tests share one vocabulary whatever the platform.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

REACH_KEYS = ("likes", "shares", "replies", "views")

# The longest post text a record may carry. Platforms allow far less (Facebook 63,206
# characters, X 25,000) and the detector reads 100,000; a longer "post" is a broken or hostile
# export, and storing it would take memory and space out of all proportion (a 16 M-character
# post took 1.3 GB to import), so it is skipped as a bad record.
MAX_TEXT_CHARS = 1_000_000

# Records passed over on purpose: real posts with nothing of their own to scan (a boost
# repeats someone else's post, a post of only images or video has no text). The importer
# counts them as skipped, with these reasons, not as errors.
SKIP_KINDS = ("boost", "media_only")
# Why a record was skipped, so the importer can count "no text" apart from real damage.
RECORD_ERROR_KINDS = ("missing_id", "missing_text", "duplicate", "unsupported", "invalid",
                      *SKIP_KINDS)


@dataclass(frozen=True, slots=True)
class AuthorRecord:
    platform: str
    platform_id: str  # the platform's stable id for the account (X user id, Bluesky DID, ...)
    handle: str | None = None  # @name without the @, where the platform has one
    display_name: str | None = None
    bio: str | None = None  # profile text as plain text, a snapshot at export time


@dataclass(frozen=True, slots=True)
class PostRecord:
    platform: str
    platform_id: str  # unique per platform: the post's id (Bluesky: at:// URI)
    text: str  # plain text, never HTML
    created_at: datetime  # timezone-aware, converted to UTC
    url: str | None
    author: AuthorRecord | None  # None only where the input names no author (generic files)
    parent_platform_id: str | None = None  # the post this one replies to
    parent_url: str | None = None  # its address, where the record gives or implies one
    thread_root_id: str | None = None  # the first post of the thread, where the platform says
    reach: dict[str, int] = field(default_factory=dict)  # subset of REACH_KEYS, where known
    raw: dict[str, Any] = field(default_factory=dict)  # the record exactly as the input had it
    source_line: int | None = None  # line where the record starts in its file; None when live
    content_sha256: str = field(init=False)

    def __post_init__(self) -> None:
        if self.created_at.tzinfo is None:
            raise ValueError(f"created_at of {self.platform} post {self.platform_id} is naive")
        unknown = set(self.reach) - set(REACH_KEYS)
        if unknown:
            raise ValueError(f"unknown reach keys {sorted(unknown)}")
        # frozen dataclass: assignment in __post_init__ has to go through object.__setattr__
        object.__setattr__(self, "created_at", self.created_at.astimezone(UTC))
        object.__setattr__(self, "content_sha256", content_sha256(self.text))


def content_sha256(text: str) -> str:
    """The one definition of a post's content hash (hex SHA-256 of the UTF-8 text)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class RecordError:
    """A record the importer must report and skip; the rest of the file is still imported."""

    source: str  # the file (or "archive.zip:member") the record came from
    line: int | None  # line where the record starts, where the format has lines
    record: int | None  # 1-based record number within the source
    message: str
    kind: str = "invalid"  # one of RECORD_ERROR_KINDS

    def __post_init__(self) -> None:
        if self.kind not in RECORD_ERROR_KINDS:
            raise ValueError(f"unknown record error kind {self.kind!r}")

    @property
    def is_skip(self) -> bool:
        """Passed over on purpose (see ``SKIP_KINDS``), not damaged."""
        return self.kind in SKIP_KINDS

    def __str__(self) -> str:
        where = [self.source]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.record is not None:
            where.append(f"record {self.record}")
        return f"{', '.join(where)}: {self.message}"
