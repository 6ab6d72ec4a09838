"""Erasing one author for a data subject's request (UK GDPR Article 17), and dismissed posts
under an organisation's retention policy.

Everything tropewatch holds about the account goes: its posts (with their detections, review
log, claims and platform reports), the evidence captured on them, the membership looks at it,
its links to other accounts, the near-duplicate clusters no other post is in, and the
complaint cases that were about it alone (a case about several linked accounts keeps the
others and loses this one and its posts). The hash chain
keeps each erased record's hash in a tombstone, so ``tropewatch verify`` still passes and
still finds any other change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from tropewatch.cases.models import Case, CaseEvent
from tropewatch.clusters.erasure import clusters_of, drop_empty
from tropewatch.evidence.models import ChainLink, EvidenceRecord, LinkKind, Tombstone
from tropewatch.impact.stale import mark_posts
from tropewatch.orgs.models import Organisation
from tropewatch.posts import search
from tropewatch.posts.models import Author, Post
from tropewatch.review.models import ReviewEvent, ReviewState
from tropewatch.review.status import Status


@dataclass(frozen=True, slots=True)
class Erased:
    posts: int
    chained_records: int  # review events, evidence and case events, now tombstones
    cases: int


class NoSuchAuthor(Exception):
    """The name given matches no account, or more than one; the message says which."""


def author_to_erase(org: Organisation, platform: str, name: str) -> Author:
    """The one ``platform`` account in ``org`` that ``name`` names: its handle (with or
    without @) or its platform id. The command line and the console both ask this way."""
    bare = name.strip().lstrip("@")
    found = list(Author.objects.for_org(org).filter(platform=platform).filter(
        Q(handle__iexact=bare) | Q(handle__iexact=f"@{bare}") | Q(platform_id=bare)))
    if not found:
        raise NoSuchAuthor(f"no {platform} author '{name}' in '{org.slug}'")
    if len(found) > 1:
        raise NoSuchAuthor(f"'{name}' names {len(found)} {platform} accounts in '{org.slug}'; "
                           "give the platform id instead")
    return found[0]


def erase_author(author: Author) -> Erased:
    with transaction.atomic():
        post_ids = list(Post.objects.filter(author=author).values_list("pk", flat=True))
        clusters = clusters_of(post_ids)
        cases = list(Case.objects.filter(authors=author))
        alone = [c for c in cases if c.authors.count() == 1]
        for case in cases:
            if case not in alone:
                case.authors.remove(author)
                case.posts.remove(*post_ids)
        mark_posts(author.org_id, post_ids)
        chained = _erase_chained(author.org_id, post_ids, alone)
        # The posts' review events, detections, claims and reports go with them (cascade),
        # and the author's membership looks and account links with the author.
        Author.objects.filter(pk=author.pk).delete()
        drop_empty(clusters)
        search.compact()
    forget_old_page_images()
    return Erased(len(post_ids), chained, len(alone))


def purge_dismissed(org: Organisation, now: datetime | None = None) -> int:
    """Erase the organisation's posts dismissed more than ``retain_dismissed_days`` ago that
    no complaint case holds (its retention policy); returns how many. Nothing without a
    policy."""
    if org.retain_dismissed_days is None:
        return 0
    with transaction.atomic():
        post_ids = list(past_retention(org, now).values_list("post_id", flat=True))
        mark_posts(org.pk, post_ids)
        _erase_chained(org.pk, post_ids, [])
        clusters = clusters_of(post_ids)
        Post.objects.filter(pk__in=post_ids).delete()
        drop_empty(clusters)
        if post_ids:
            search.compact()
    forget_old_page_images()
    return len(post_ids)


def past_retention(org: Organisation, now: datetime | None = None) -> QuerySet[ReviewState]:
    """The states of the posts ``purge_dismissed`` erases (none without a policy)."""
    if org.retain_dismissed_days is None:
        return ReviewState.objects.none()
    cutoff = (now or timezone.now()) - timedelta(days=org.retain_dismissed_days)
    return (ReviewState.objects.for_org(org)
            .filter(status=Status.DISMISSED, updated_at__lt=cutoff, post__cases__isnull=True))


def purge_all_dismissed(now: datetime | None = None) -> int:
    """Every organisation's retention policy, as the workers' housekeeping runs it."""
    return sum(purge_dismissed(org, now) for org in
               Organisation.objects.filter(retain_dismissed_days__isnull=False))


def _erase_chained(org_id: int, post_ids: list[int], cases: list[Case]) -> int:
    """Tombstone and delete the evidence on the posts and the cases' events and the cases;
    the posts' review events are tombstoned here and deleted with the posts by the caller."""
    chained = {
        LinkKind.EVENT: list(ReviewEvent.objects.filter(post_id__in=post_ids)
                             .values_list("pk", flat=True)),
        LinkKind.EVIDENCE: list(EvidenceRecord.objects.filter(post_id__in=post_ids)
                                .values_list("pk", flat=True)),
        LinkKind.CASE_EVENT: list(CaseEvent.objects.filter(case__in=cases)
                                  .values_list("pk", flat=True)),
    }
    now = timezone.now()
    tombstones = [
        Tombstone(org_id=org_id, kind=link.kind, object_id=link.object_id,
                  record_hash=link.record_hash, erased_at=now)
        for kind, ids in chained.items()
        for link in ChainLink.objects.filter(org_id=org_id, kind=kind, object_id__in=ids)
    ]
    Tombstone.objects.bulk_create(tombstones)
    # The append-only logs refuse deletes through their own managers; an erasure is the one
    # deletion the law requires, made through the plain base manager.
    EvidenceRecord._base_manager.filter(pk__in=chained[LinkKind.EVIDENCE]).delete()
    CaseEvent._base_manager.filter(pk__in=chained[LinkKind.CASE_EVENT]).delete()
    Case.objects.filter(pk__in=[c.pk for c in cases]).delete()
    return len(tombstones)


def forget_old_page_images() -> None:
    """On SQLite, secure_delete (see settings) zeroes what a delete frees, but the write-ahead
    log still holds the pages as they were until a checkpoint copies the new ones into the
    file; truncating it then leaves no copy of the erased text on disk. A reader in the middle
    of a transaction can hold the checkpoint back: the next checkpoint finishes the job.
    PostgreSQL keeps dead rows until VACUUM reuses their space (docs/deploy.md)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
