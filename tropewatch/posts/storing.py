"""Storing parsed records as authors and posts: insert what is new, update what changed,
leave what is identical alone, and scan every post whose text the detector has not judged
(which puts flagged posts into near-duplicate clusters).

Writes are bulk upserts keyed on each platform's own ids, so storing the same records twice
gives the same rows, on SQLite and PostgreSQL alike. Call ``store_records`` inside a
transaction: the posts, their detections and whatever the caller records about the batch
then commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from tropewatch.impact.stale import mark_days
from tropewatch.ingest.records import AuthorRecord, PostRecord
from tropewatch.orgs.models import Organisation
from tropewatch.review.priority import refresh_posts

from .bulk import upsert
from .models import Author, Post, Source
from .scanning import PostText, current_model_version, needing_scan, scan_posts

Key = tuple[str, str]  # (platform, platform_id): how a platform names a post or an author

_AUTHOR_FIELDS = ["handle", "display_name", "bio"]
# What a record decides about a stored post, in the order of ``_post_state``.
_STATE_FIELDS = [
    "source_id", "author_id", "content_sha256", "created_at", "url", "parent_platform_id",
    "parent_url", "thread_root_id", "reach", "raw",
]
# What an upsert writes. parent is reset with the rest and linked again afterwards, because
# parent_platform_id may have changed.
_POST_COLUMNS = [
    "org", "platform", "platform_id", "source", "author", "text", "created_at", "url", "parent",
    "parent_platform_id", "parent_url", "thread_root_id", "reach", "raw", "content_sha256",
    "imported_at", "updated_at",
]


@dataclass(slots=True)
class StoreCounts:
    new: int = 0  # posts not stored before
    updated: int = 0  # stored posts whose text or metadata changed
    skipped: int = 0  # stored posts identical to the record
    scanned: int = 0  # posts the detector judged


def store_records(
    org: Organisation, source: Source, records: Sequence[PostRecord], policy: str,
    verdicts: Mapping[str, dict] | None = None,
) -> StoreCounts:
    """Upsert ``records`` and scan the posts that need it under ``policy``, taking the
    verdicts of texts in ``verdicts`` (judged ahead by an import's workers) as given.

    Records count as if stored one by one in input order: a post that appears twice counts
    as new and then skipped (or updated, if the second copy differs), and the later wins.
    """
    counts = StoreCounts()
    if not records:
        return counts
    authors = _upsert_authors(org, records)
    stored = _stored_posts(org, records)  # key -> (id, state) as the database has it
    states: dict[Key, tuple[Any, ...]] = {key: state for key, (_, state) in stored.items()}
    latest: dict[Key, PostRecord] = {}
    for record in records:
        key = (record.platform, record.platform_id)
        state = _post_state(source, authors, record)
        if key not in states:
            counts.new += 1
        elif states[key] == state:
            counts.skipped += 1
        else:
            counts.updated += 1
        states[key] = state
        latest[key] = record
    ids = {key: post_id for key, (post_id, _) in stored.items()}
    changed = [
        record for key, record in latest.items()
        if key not in stored or stored[key][1] != states[key]
    ]
    _upsert_posts(org, source, authors, changed)
    mark_days(org.pk, (record.created_at.date() for record in changed))  # UTC already
    ids.update(ids_by_key(Post, org, [key for key in latest if key not in ids]))
    changed_ids = [ids[(r.platform, r.platform_id)] for r in changed]
    _link_parents(org, changed, changed_ids)
    texts = [PostText(ids[key], r.text, r.content_sha256) for key, r in latest.items()]
    to_scan = needing_scan(texts, policy, current_model_version(org))
    # New reach or time changes the queue's stored priority; scan_posts refreshes the posts
    # it scans, so only the others are refreshed here.
    scanned_ids = {post.id for post in to_scan}
    refresh_posts(post_id for post_id in changed_ids if post_id not in scanned_ids)
    counts.scanned = scan_posts(org, to_scan, policy, verdicts)
    return counts


def _author_key(author: AuthorRecord) -> Key:
    return (author.platform, author.platform_id)


def keys_filter(keys: Iterable[Key], id_field: str = "platform_id",
                platform_field: str = "platform") -> Q:
    """Rows whose (platform, id) is one of ``keys``: one ``IN`` per platform."""
    ids_by_platform: dict[str, set[str]] = {}
    for platform, platform_id in keys:
        ids_by_platform.setdefault(platform, set()).add(platform_id)
    query = Q(pk__in=[])
    for platform, ids in ids_by_platform.items():
        query |= Q(**{platform_field: platform, f"{id_field}__plain_in": ids})
    return query


def _upsert_authors(org: Organisation, records: Iterable[PostRecord]) -> dict[Key, int]:
    """Store each author's latest profile in the batch; returns key -> author id."""
    latest = {_author_key(r.author): r.author for r in records if r.author is not None}
    if not latest:
        return {}
    stored = {
        (row[0], row[1]): (row[2], row[3:])
        for row in Author.objects.for_org(org)
        .filter(keys_filter(latest))
        .values_list("platform", "platform_id", "pk", *_AUTHOR_FIELDS)
    }
    ids = {key: author_id for key, (author_id, _) in stored.items()}
    now = timezone.now()
    changed = []
    for key, author in latest.items():
        profile = (author.handle or "", author.display_name or "", author.bio or "")
        if key not in stored or stored[key][1] != profile:
            changed.append((org.pk, *key, *profile, now))
    upsert(
        Author,
        ["org", "platform", "platform_id", *_AUTHOR_FIELDS, "updated_at"],
        changed,
        unique=["org", "platform", "platform_id"],
    )
    ids.update(ids_by_key(Author, org, [key for key in latest if key not in ids]))
    return ids


def ids_by_key(
    model: type[Author] | type[Post], org: Organisation, keys: Collection[Key]
) -> dict[Key, int]:
    """(platform, platform_id) -> id of the stored rows among ``keys``."""
    if not keys:
        return {}
    rows = model.objects.for_org(org).filter(keys_filter(keys)).values_list(
        "platform", "platform_id", "pk"
    )
    return {(platform, platform_id): pk for platform, platform_id, pk in rows}


def _post_state(source: Source, authors: dict[Key, int], record: PostRecord) -> tuple[Any, ...]:
    author_id = None if record.author is None else authors[_author_key(record.author)]
    return (
        source.pk, author_id, record.content_sha256, record.created_at, record.url or "",
        record.parent_platform_id, record.parent_url or "", record.thread_root_id, record.reach,
        record.raw,
    )


def _stored_posts(
    org: Organisation, records: Iterable[PostRecord]
) -> dict[Key, tuple[int, tuple[Any, ...]]]:
    keys = {(r.platform, r.platform_id) for r in records}
    rows = (
        Post.objects.for_org(org)
        .filter(keys_filter(keys))
        .values_list("platform", "platform_id", "pk", *_STATE_FIELDS)
    )
    return {(row[0], row[1]): (row[2], tuple(row[3:])) for row in rows}


def _upsert_posts(
    org: Organisation, source: Source, authors: dict[Key, int], records: Sequence[PostRecord]
) -> None:
    now = timezone.now()
    rows = [
        (
            org.pk, r.platform, r.platform_id, source.pk,
            None if r.author is None else authors[_author_key(r.author)],
            r.text, r.created_at, r.url or "", None, r.parent_platform_id, r.parent_url or "",
            r.thread_root_id, r.reach, r.raw, r.content_sha256, now, now,
        )
        for r in records
    ]
    # imported_at is written on insert only: an update keeps when the post first arrived.
    upsert(Post, _POST_COLUMNS, rows, unique=["org", "platform", "platform_id"],
           keep=["imported_at"])


def _link_parents(org: Organisation, written: Sequence[PostRecord], ids: list[int]) -> None:
    """Point ``parent`` at the parent post wherever both are now stored: for the posts just
    written, and for stored replies that were waiting for one of them. Whatever the order
    posts arrive in, every reply ends up linked once its parent is stored."""
    if not written:
        return
    parent = Post.objects.filter(
        org=org, platform=OuterRef("platform"), platform_id=OuterRef("parent_platform_id")
    )
    waiting_children = keys_filter(
        ((r.platform, r.platform_id) for r in written), id_field="parent_platform_id"
    )
    # Two statements, not one with an OR: each then walks an index (the primary key, and
    # post_waiting_parent), where the OR made both SQLite and PostgreSQL read every post of
    # the organisation, once per batch: a million-post import grew quadratic. The posts
    # just written are found by id alone (they are this organisation's): with the org in
    # the filter too, SQLite walked the organisation's posts by post_org_newest. A waiting
    # child's parent_platform_id is not null by its IN: saying so again led SQLite to walk
    # every reply.
    just_written = Post.objects.filter(pk__plain_in=ids, parent_platform_id__isnull=False)
    for posts in (just_written, Post.objects.for_org(org).filter(waiting_children)):
        (
            posts.filter(parent__isnull=True)
            .exclude(platform_id=F("parent_platform_id"))
            .filter(Exists(parent))
            .update(parent=Subquery(parent.values("pk")[:1]))
        )
