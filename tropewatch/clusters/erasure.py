"""Erased posts leave no cluster behind: a cluster whose every post was erased (its
signature came from their text) goes too, with its buckets. A cluster with posts left keeps
its signature: those posts say the same."""

from __future__ import annotations

from .models import Cluster, ClusterMember


def clusters_of(post_ids: list[int]) -> list[int]:
    """The clusters the posts are in; ask before erasing them."""
    return list(ClusterMember.objects.filter(post_id__in=post_ids, cluster__isnull=False)
                .values_list("cluster_id", flat=True).distinct())


def drop_empty(cluster_ids: list[int]) -> None:
    """Delete those of the clusters that have no posts left; after erasing."""
    Cluster.objects.filter(pk__in=cluster_ids, members__isnull=True).delete()
