"""The queue with each cluster as one row: its highest-ranked item stands for the rest.

Only the queue page groups; "Start reviewing" still hands out posts one by one (PostgreSQL
will not lock rows for update under a window function, and claims need that).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, F, QuerySet, Value, Window
from django.db.models.functions import Coalesce, RowNumber

from tropewatch.posts.models import Detection

# A post in no cluster is its own group; negative, so it never meets a cluster's id.
_GROUP = Coalesce(F("post__cluster_member__cluster_id"), Value(0) - F("post_id"))


def one_row_per_cluster(ranked: QuerySet[Detection]) -> QuerySet[Detection]:
    """``ranked`` (the queue, highest priority first) with only the first item of each
    cluster."""
    return ranked.annotate(
        cluster_rank=Window(RowNumber(), partition_by=[_GROUP],
                            order_by=[F("priority").desc(), F("post_id").desc()]),
    ).filter(cluster_rank=1)


def count_copies(items: Sequence[Detection], ranked: QuerySet[Detection]) -> None:
    """Set ``cluster_id`` and ``copies`` (the items of ``ranked`` in the same cluster, the
    item included) on each of ``items``."""
    clusters = dict(
        Detection.objects.filter(pk__in=[item.pk for item in items])
        .values_list("pk", "post__cluster_member__cluster_id")
    )
    counts = dict(
        ranked.filter(post__cluster_member__cluster_id__in=[c for c in clusters.values() if c])
        .order_by().values("post__cluster_member__cluster_id")
        .annotate(n=Count("pk")).values_list("post__cluster_member__cluster_id", "n")
    )
    for item in items:
        item.cluster_id = clusters.get(item.pk)
        item.copies = counts.get(item.cluster_id, 1)
