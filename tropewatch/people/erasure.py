"""Erasing one author for a data subject's request (UK GDPR Article 17).

Everything tropewatch holds about the account goes: its posts (with their detections, review
log, claims and platform reports), the evidence captured on them, the membership looks at it,
its links to other accounts, and the complaint cases that were about it alone (a case about
several linked accounts keeps the others and loses this one and its posts). The hash chain
keeps each erased record's hash in a tombstone, so ``tropewatch verify`` still passes and
still finds any other change.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tropewatch.cases.models import Case, CaseEvent
from tropewatch.evidence.models import ChainLink, EvidenceRecord, LinkKind, Tombstone
from tropewatch.posts.models import Author, Post
from tropewatch.review.models import ReviewEvent


@dataclass(frozen=True, slots=True)
class Erased:
    posts: int
    chained_records: int  # review events, evidence and case events, now tombstones
    cases: int


def erase_author(author: Author) -> Erased:
    org_id = author.org_id
    with transaction.atomic():
        post_ids = list(Post.objects.filter(author=author).values_list("pk", flat=True))
        cases = list(Case.objects.filter(authors=author))
        alone = [c for c in cases if c.authors.count() == 1]
        for case in cases:
            if case not in alone:
                case.authors.remove(author)
                case.posts.remove(*post_ids)
        chained = {
            LinkKind.EVENT: list(ReviewEvent.objects.filter(post_id__in=post_ids)
                                 .values_list("pk", flat=True)),
            LinkKind.EVIDENCE: list(EvidenceRecord.objects.filter(post_id__in=post_ids)
                                    .values_list("pk", flat=True)),
            LinkKind.CASE_EVENT: list(CaseEvent.objects.filter(case__in=alone)
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
        # The append-only logs refuse deletes through their own managers; an erasure is the
        # one deletion the law requires, made through the plain base manager.
        EvidenceRecord._base_manager.filter(pk__in=chained[LinkKind.EVIDENCE]).delete()
        CaseEvent._base_manager.filter(pk__in=chained[LinkKind.CASE_EVENT]).delete()
        Case.objects.filter(pk__in=[c.pk for c in alone]).delete()
        # The posts' review events, detections, claims and reports go with them (cascade),
        # and the author's membership looks and account links with the author.
        Author.objects.filter(pk=author.pk).delete()
    return Erased(len(post_ids), len(tombstones), len(alone))
