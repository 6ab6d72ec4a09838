"""Putting flagged posts into clusters, once each.

Only the queue groups copies, and it lists flagged posts only, so ``assign`` is called for
the posts a scan flags (``tropewatch.posts.scanning.scan_posts``, on import and on rescan)
and for a post a supporter flags, in the transaction that stores them. A post that already
has a membership row is left where it is, so storing the same records again changes
nothing, and clusters grow as posts arrive: each new post is compared only with the
clusters whose LSH buckets it falls into, never with every post.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tropewatch.orgs.models import Organisation
from tropewatch.posts.bulk import upsert

from .models import Cluster, ClusterBand, ClusterMember
from .signature import THRESHOLD, buckets, from_bytes, signatures, similarity, to_bytes

# Values per IN (...) list: below SQLite's and PostgreSQL's limits on query parameters.
_CHUNK = 900


def assign(org: Organisation, posts: Sequence[tuple[int, str]]) -> int:
    """Cluster the (post id, text) pairs not clustered yet; returns how many were."""
    done = _members(org, [post_id for post_id, _ in posts])
    todo = {post_id: text for post_id, text in posts if post_id not in done}
    if not todo:
        return 0
    found = signatures(list(todo.values()))
    keys = {key for sig in found if sig is not None for key in buckets(sig)}
    owners = _bucket_owners(org, keys)  # (band, bucket) -> cluster id
    known = _signatures(org, set(owners.values()))  # cluster id -> signature
    new: list[np.ndarray] = []  # clusters made in this batch, by index; id -(index + 1)
    chosen: list[int | None] = []
    for sig in found:
        if sig is None:
            chosen.append(None)
            continue
        cluster_id = _best(sig, {owners[key] for key in buckets(sig) if key in owners},
                           known, new)
        if cluster_id is None:
            new.append(sig)
            cluster_id = -len(new)
            for key in buckets(sig):
                owners.setdefault(key, cluster_id)
        chosen.append(cluster_id)
    ids = _create(org, new, owners)
    # A post a concurrent import clustered first stays where that put it.
    upsert(ClusterMember, ["org", "post", "cluster"],
           [(org.pk, post_id, ids.get(cluster_id, cluster_id))
            for post_id, cluster_id in zip(todo, chosen, strict=True)],
           unique=["post"], keep=["org", "cluster"])
    return len(todo)


def _best(sig: np.ndarray, candidates: set[int], known: dict[int, np.ndarray],
          new: list[np.ndarray]) -> int | None:
    """The candidate cluster most similar to ``sig``, if similar enough."""
    best, best_score = None, THRESHOLD
    for cluster_id in sorted(candidates):
        other = new[-cluster_id - 1] if cluster_id < 0 else known[cluster_id]
        score = similarity(sig, other)
        if score >= best_score:
            best, best_score = cluster_id, score
    return best


def _members(org: Organisation, post_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(post_ids), _CHUNK):
        found.update(ClusterMember.objects.filter(
            org=org, post_id__plain_in=post_ids[start:start + _CHUNK]
        ).values_list("post_id", flat=True))
    return found


def _bucket_owners(org: Organisation, keys: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """Band by band, so that each lookup walks the (org, band, bucket) index."""
    by_band: dict[int, list[int]] = {}
    for band, bucket in keys:
        by_band.setdefault(band, []).append(bucket)
    owners: dict[tuple[int, int], int] = {}
    for band, found in sorted(by_band.items()):
        found.sort()
        for start in range(0, len(found), _CHUNK):
            rows = ClusterBand.objects.filter(
                org=org, band=band, bucket__plain_in=found[start:start + _CHUNK]
            ).values_list("bucket", "cluster_id")
            owners.update({(band, bucket): cluster for bucket, cluster in rows})
    return owners


def _signatures(org: Organisation, cluster_ids: set[int]) -> dict[int, np.ndarray]:
    ids = sorted(cluster_ids)
    found: dict[int, np.ndarray] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = Cluster.objects.filter(org=org, pk__in=ids[start:start + _CHUNK])
        found.update({pk: from_bytes(data) for pk, data in rows.values_list("pk", "signature")})
    return found


def _create(org: Organisation, new: list[np.ndarray],
            owners: dict[tuple[int, int], int]) -> dict[int, int]:
    """Store the batch's new clusters and the buckets they took; returns the id each
    placeholder (-1, -2, ...) stands for."""
    clusters = Cluster.objects.bulk_create(
        [Cluster(org=org, signature=to_bytes(sig)) for sig in new]
    )
    ids = {-(index + 1): cluster.pk for index, cluster in enumerate(clusters)}
    # A bucket a concurrent import took first stays with its cluster.
    upsert(ClusterBand, ["org", "band", "bucket", "cluster"],
           [(org.pk, band, bucket, ids[owner]) for (band, bucket), owner in owners.items()
            if owner < 0],
           unique=["org", "band", "bucket"], keep=["cluster"])
    return ids
