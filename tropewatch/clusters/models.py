"""Near-duplicate clusters: posts whose text is (almost) the same, such as the copies of a
copy-paste campaign, grouped so that the queue shows them as one item.

A cluster keeps the MinHash signature of its first post and the LSH band buckets of that
signature; a new post joins the cluster it shares a bucket with when their signatures agree
(``tropewatch.clusters.assign``). No text is copied here: erasing a post erases its membership.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from tropewatch.posts.models import OrgScoped, Post


class Cluster(OrgScoped):
    # The MinHash signature of the first post, as little-endian uint32 values.
    signature = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"cluster {self.pk}"


class ClusterBand(OrgScoped):
    """One LSH bucket of a cluster's signature: posts whose band hashes to the same bucket
    are candidates for the cluster. The first cluster to take a bucket keeps it."""

    band = models.PositiveSmallIntegerField()
    bucket = models.BigIntegerField()
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="bands",
                                db_index=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "band", "bucket"], name="cluster_band_bucket")
        ]


class ClusterMember(OrgScoped):
    """Which cluster a post was put in when it was stored; written once, so storing the post
    again leaves it where it is. ``cluster`` is empty for a post a moderator split out (it
    stands alone from then on) and for a post with no words to compare."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, primary_key=True,
                                related_name="cluster_member")
    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="members")
    split_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    split_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["cluster", "post"], name="cluster_member_by_cluster")]

    def __str__(self) -> str:
        return f"post {self.post_id} in cluster {self.cluster_id}"
