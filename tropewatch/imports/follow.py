"""Following a live source into an organisation's posts: the service side of the connectors
in ``tropewatch.ingest.follow``.

A connector yields records and notes how far it got in a ``CursorStore``. Here the records are
stored in batches through ``store_records``, which scans every new or changed post, and the
cursors are kept in ``LiveCursor`` rows. A cursor is written in the transaction of the batch
that holds the posts read up to it, never before: a run stopped at any moment leaves a cursor
no further than the stored posts, and the next run carries on from it. The few posts it reads
again are recognised there and not stored twice.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from django.db import transaction

from tropewatch.ingest.errors import IngestError
from tropewatch.ingest.follow.cursor import CursorStore
from tropewatch.ingest.records import PostRecord, RecordError
from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import Source
from tropewatch.posts.storing import store_records

from .models import CURSOR_KEY_LENGTH, MAX_STORED_ERRORS, LiveCursor
from .services import sort_batch

Item = PostRecord | RecordError
# Opens a connector on the given cursors; leaving the context closes it (and lets it note a
# last cursor, as Jetstream does for the post it handed over last).
OpenStream = Callable[[CursorStore], AbstractContextManager[Iterable[Item]]]


class DatabaseCursorStore:
    """One organisation's cursors, in ``LiveCursor`` rows.

    ``set`` only notes the new value (``get`` sees it at once); ``save`` writes what was noted,
    and is meant to run inside the transaction that stores the posts handed over so far.
    """

    def __init__(self, org: Organisation) -> None:
        self.org = org
        self._unsaved: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        if key in self._unsaved:
            return self._unsaved[key]
        rows = LiveCursor.objects.for_org(self.org).filter(key=stored_key(key))
        return rows.values_list("value", flat=True).first()

    def set(self, key: str, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError(f"cursor {key!r} must be a string, not {type(value).__name__}")
        self._unsaved[key] = value

    def save(self) -> None:
        for key, value in self._unsaved.items():
            LiveCursor.objects.update_or_create(
                org=self.org, key=stored_key(key), defaults={"value": value}
            )
        # Should the surrounding transaction roll back, these advances are lost: the next
        # run then reads those posts again, which costs time but loses nothing.
        self._unsaved.clear()


def stored_key(key: str) -> str:
    """``key`` as kept in its row. A key too long for the column (a long search query, a
    Jetstream filter of many accounts) keeps its readable start and gains a digest of the
    whole, so two long keys never share a row."""
    if len(key) <= CURSOR_KEY_LENGTH:
        return key
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{key[: CURSOR_KEY_LENGTH - len(digest) - 1]}#{digest}"


@dataclass
class FollowReport:
    new: int = 0
    updated: int = 0
    skipped: int = 0  # unchanged, or passed over on purpose: those by reason in skip_reasons
    skip_reasons: Counter[str] = field(default_factory=Counter)
    error_count: int = 0
    errors: list[RecordError] = field(default_factory=list)  # the first MAX_STORED_ERRORS
    # Why the stream ended before its end: the connector's error. The posts read before it
    # are stored.
    failure: str = ""
    interrupted: bool = False  # stopped by Ctrl-C, with the posts read before it stored

    @property
    def records(self) -> int:
        return self.new + self.updated + self.skipped + self.error_count


def follow(
    org: Organisation,
    source: Source,
    open_stream: OpenStream,
    *,
    batch_size: int,
    progress: Callable[[FollowReport], None] | None = None,
) -> FollowReport:
    """Store what the connector ``open_stream`` opens yields, in batches, until it ends.

    A connector error or a Ctrl-C ends the run early (see ``FollowReport``) after storing
    the records read before it, with the cursor that covers them. A second Ctrl-C while
    that last batch is stored stops at once; its posts are then read again next time.

    ``source`` may be unsaved: it is saved with the first batch, or at the end of a run that
    did not fail before reading anything, so a server that cannot be reached leaves no
    empty source behind.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    cursors = DatabaseCursorStore(org)
    report = FollowReport()
    with open_stream(cursors) as items:
        batch: list[Item] = []
        try:
            for item in items:
                batch.append(item)
                if len(batch) == batch_size:
                    _store_batch(org, source, batch, cursors, report)
                    batch = []
                    if progress is not None:
                        progress(report)
        except IngestError as exc:
            report.failure = str(exc)
        except KeyboardInterrupt:
            # Also when it came while a batch was being stored: that batch was rolled back
            # and is still in ``batch``, stored now.
            report.interrupted = True
        # A new source whose server failed before handing over anything is never saved.
        if batch or source.pk is not None or not report.failure:
            _store_batch(org, source, batch, cursors, report)
    # Closing the connector may have noted a last cursor, for posts already stored.
    with transaction.atomic():
        cursors.save()
    return report


def _store_batch(
    org: Organisation,
    source: Source,
    batch: list[Item],
    cursors: DatabaseCursorStore,
    report: FollowReport,
) -> None:
    sorted_batch = sort_batch(batch, str(source))
    errors = sorted_batch.errors
    with transaction.atomic():
        if source.pk is None:
            source.save()
        counts = store_records(org, source, sorted_batch.records, org.policy)
        cursors.save()
    report.new += counts.new
    report.updated += counts.updated
    report.skipped += counts.skipped + sum(sorted_batch.skipped.values())
    report.skip_reasons += sorted_batch.skipped
    report.error_count += len(errors)
    report.errors.extend(errors[: max(0, MAX_STORED_ERRORS - len(report.errors))])
