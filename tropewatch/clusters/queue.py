"""The queue with each cluster as one row: its highest-ranked item stands for the rest.

Only the queue page groups; "Start reviewing" still hands out posts one by one. (It first did
because PostgreSQL will not lock rows for update under a window function, which claims need;
the grouping below no longer uses one.)
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from tropewatch.posts.models import Detection

from .models import ClusterMember


def _cluster_of_post() -> Subquery:
    """The cluster of a detection's post, found by post id (a member's key) and not through
    the posts table; NULL for a post in none, or split out of one."""
    return Subquery(
        ClusterMember.objects.filter(post_id=OuterRef("post_id")).values("cluster_id"))


def one_row_per_cluster(ranked: QuerySet[Detection]) -> QuerySet[Detection]:
    """``ranked`` (the queue, highest priority first) with only the first item of each
    cluster: those with no item of ``ranked`` above them in their cluster.

    An anti-join rather than a window over the clusters: a window ranks the whole queue
    before the page can take its 51 rows (60 ms of a page at 1,000,000 posts), where this
    lets PostgreSQL walk the priority index and stop. The cluster is looked up by post id
    (a member's key), so that nothing joins the posts table. A post in no cluster, or split
    out of one (NULL), matches no other and is its own group."""
    above_in_cluster = ranked.order_by().filter(
        Q(priority__gt=OuterRef("priority"))
        | Q(priority=OuterRef("priority"), post_id__gt=OuterRef("post_id")),
        # Without the row's own post, which the order already rules out: most clusters
        # hold one post, whose detection then need not be read to learn that.
        post_id__in=ClusterMember.objects.filter(cluster_id=OuterRef(OuterRef("queue_cluster")))
        .exclude(post_id=OuterRef(OuterRef("post_id"))).values("post_id"),
    )
    # The OR keeps the test a subplan run per row with its cluster's id in hand (an index
    # probe of the members), where a plain NOT EXISTS was planned as an anti-join that
    # compared each row with every flagged row of higher priority.
    return ranked.annotate(queue_cluster=_cluster_of_post()).filter(
        Q(queue_cluster__isnull=True) | ~Exists(above_in_cluster))


# How many of the queue's rows ``count_items`` reads for each item it may count.
ROWS_READ_PER_ITEM = 2


def count_items(ranked: QuerySet[Detection], cap: int) -> int:
    """How many rows ``one_row_per_cluster(ranked)`` holds, or ``cap + 1`` if more than
    ``cap``.

    Counting the clusters' first items directly checks each row against its cluster's
    other members (48 of a queue page's 65 ms of SQL, 1,000,000 posts, 50,000 flagged).
    Every cluster with a row in the queue has one first item, so the clusters among any of
    its rows are at most as many as its items: read ``ROWS_READ_PER_ITEM`` rows per item it
    may count, with only each row's cluster. That gives the exact count when it reads the
    whole queue, and enough when it finds more than ``cap`` clusters. Only when a few
    clusters fill the rows read is the direct count run. In no order, as a count needs
    none: ordered, PostgreSQL misjudged filtered queues and sorted every match."""
    top = (cap + 1) * ROWS_READ_PER_ITEM
    read = ranked.order_by().annotate(queue_cluster=_cluster_of_post())[:top].aggregate(
        rows=Count("pk"), clusters=Count("queue_cluster", distinct=True),
        # A post in no cluster is its own item, as in one_row_per_cluster.
        alone=Count("pk", filter=Q(queue_cluster__isnull=True)),
    )
    groups = read["clusters"] + read["alone"]
    if read["rows"] < top or groups > cap:
        return min(groups, cap + 1)
    return one_row_per_cluster(ranked).order_by()[: cap + 1].count()


def count_copies(items: Sequence[Detection], ranked: QuerySet[Detection]) -> None:
    """Set ``cluster_id`` and ``copies`` (the items of ``ranked`` in the same cluster, the
    item included) on each of ``items``."""
    clusters = dict(
        ClusterMember.objects.filter(post_id__in=[item.post_id for item in items])
        .values_list("post_id", "cluster_id")
    )
    # The clusters' members by post id, as one_row_per_cluster finds them: not through the
    # posts, whose table a join would read a row of for each member.
    members = ClusterMember.objects.filter(cluster_id__in={c for c in clusters.values() if c})
    counts = dict(
        ranked.filter(post_id__in=members.values("post_id"))
        .order_by().annotate(queue_cluster=_cluster_of_post()).values("queue_cluster")
        .annotate(n=Count("pk")).values_list("queue_cluster", "n")
    )
    for item in items:
        item.cluster_id = clusters.get(item.post_id)
        item.copies = counts.get(item.cluster_id, 1)
