"""Evidence records, and the hash chain that holds them and the review log together.

Each organisation has one chain: every review event and every evidence record, in the order
they were written, is one ``ChainLink`` holding the record's hash and the previous link's
hash. ``ChainHead`` is the chain's last link, and the row a writer locks, so that two
decisions committed at once on PostgreSQL cannot both take the same place. Like the review
log, evidence and links refuse updates and deletes; what the database is made to do
directly is what ``verify`` finds.
"""

from __future__ import annotations

from django.db import models

from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import OrgScoped, Post
from tropewatch.review.models import AppendOnly


class EvidenceRecord(AppendOnly):
    """What was known about a post when it was confirmed or escalated, as canonical JSON.

    The snapshot is kept as text, byte for byte as hashed (PostgreSQL's jsonb would reorder
    it). It outlives the post: when a post is deleted, ``post`` becomes null and the
    snapshot stays."""

    post = models.ForeignKey(Post, null=True, on_delete=models.SET_NULL,
                             related_name="evidence", db_index=False)
    snapshot = models.TextField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["post"], name="evidence_by_post")]

    def __str__(self) -> str:
        return f"evidence {self.pk} on post {self.post_id}"


class LinkKind(models.TextChoices):
    EVENT = "event", "Review event"
    EVIDENCE = "evidence", "Evidence record"
    CASE_EVENT = "case_event", "Case event"  # a complaint case's log (tropewatch.cases)


class ChainLink(AppendOnly):
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=10, choices=LinkKind.choices)
    object_id = models.BigIntegerField()
    record_hash = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    link_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "seq"], name="chain_link_seq_per_org"),
            models.UniqueConstraint(fields=["org", "kind", "object_id"],
                                    name="chain_link_once_per_record"),
        ]

    def __str__(self) -> str:
        return f"link {self.seq}: {self.kind} {self.object_id}"


class ChainHead(OrgScoped):
    """The last link of an organisation's chain (seq 0 and the genesis hash when empty)."""

    # One per organisation: its key is the organisation's.
    org = models.OneToOneField(Organisation, on_delete=models.CASCADE, primary_key=True,
                               related_name="+")
    seq = models.PositiveBigIntegerField()
    link_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"chain of org {self.org_id} at {self.seq}"


class Tombstone(AppendOnly):
    """Where a chained record was erased for a data subject's request: the record is gone,
    its hash stays, so ``verify`` can tell an erasure from a deletion and the chain still
    holds everything around it."""

    kind = models.CharField(max_length=10, choices=LinkKind.choices)
    object_id = models.BigIntegerField()
    record_hash = models.CharField(max_length=64)
    erased_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "kind", "object_id"],
                                    name="tombstone_once_per_record"),
        ]

    def __str__(self) -> str:
        return f"erased {self.kind} {self.object_id}"
