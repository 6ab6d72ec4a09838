"""Benchmark near-duplicate clustering: N posts put into clusters in import-sized batches, in
a throwaway SQLite database (or the PostgreSQL server DATABASE_URL names, into a new
database). Prints numbers; nothing fails.

The posts are tests/service/clusters/campaigns.py's: two thirds copies of ten campaigns
(case, punctuation, emoji, links, mentions, a word added, hashtags of the copier's choosing),
a third unrelated sentences with the same hashtags, which nearly all stay clusters of one:
the worst case for the bucket table. They are inserted first, untimed; then ``assign`` runs
over them batch by batch as ``store_records`` calls it, and once more over all of them,
which must change nothing. The signatures alone (no database) are timed apart.

    .venv/bin/python bench/bench_clusters.py                   # 100,000 posts
    .venv/bin/python bench/bench_clusters.py --posts 20000 --batch-size 1000
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432 .venv/bin/python bench/bench_clusters.py
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=500)
    args = parser.parse_args()

    server = os.environ.get("DATABASE_URL", "")
    if server.startswith("postgresql://"):
        database = f"bench_clusters_{uuid.uuid4().hex[:8]}"
        _create_database(server, database)
        url = f"{server.rstrip('/')}/{database}"
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='tropewatch-bench-clusters-')}/b.sqlite3"
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "tropewatch.web.settings",
                       "SECRET_KEY": "bench-only", "DEBUG": "0", "ALLOWED_HOSTS": "testserver",
                       "SECURE_SSL_REDIRECT": "0"})
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from service.clusters.campaigns import posts

    from tropewatch.clusters.assign import assign
    from tropewatch.clusters.models import Cluster, ClusterBand, ClusterMember
    from tropewatch.clusters.signature import signatures

    call_command("migrate", verbosity=0)
    print(f"{connection.vendor}: {args.posts} posts, batches of {args.batch_size}")
    generated = list(posts(args.posts))
    texts = [item.text for item in generated]
    campaign_posts = sum(1 for item in generated if item.campaign is not None)
    org, pairs = _insert(texts)

    started = time.perf_counter()
    for start in range(0, len(texts), args.batch_size):
        signatures(texts[start:start + args.batch_size])
    alone = time.perf_counter() - started
    print(f"signatures alone: {alone:.1f} s ({alone / len(texts) * 1e6:.0f} µs per post)")

    started = time.perf_counter()
    slowest = 0.0
    for start in range(0, len(pairs), args.batch_size):
        batch_started = time.perf_counter()
        with transaction.atomic():
            assign(org, pairs[start:start + args.batch_size])
        slowest = max(slowest, time.perf_counter() - batch_started)
    took = time.perf_counter() - started
    print(f"clustered: {took:.1f} s, {len(pairs) / took:.0f} posts/s, slowest batch "
          f"{slowest * 1000:.0f} ms")
    clusters = Cluster.objects.count()
    print(f"clusters: {clusters} ({campaign_posts} campaign copies of 10 texts, "
          f"{len(pairs) - campaign_posts} unrelated posts); {ClusterBand.objects.count()} "
          f"bucket rows, {ClusterMember.objects.count()} memberships")
    _purity(generated, pairs)

    started = time.perf_counter()
    for start in range(0, len(pairs), args.batch_size):
        with transaction.atomic():
            assign(org, pairs[start:start + args.batch_size])
    print(f"again, all already clustered: {time.perf_counter() - started:.1f} s; "
          f"clusters now {Cluster.objects.count()}")


def _purity(generated, pairs: list[tuple[int, str]]) -> None:
    """How many clusters each campaign's copies are in, and how many unrelated posts share a
    cluster with some other post."""
    from collections import Counter

    from tropewatch.clusters.models import ClusterMember

    cluster_of = dict(ClusterMember.objects.values_list("post_id", "cluster_id"))
    clusters = [cluster_of[post_id] for post_id, _ in pairs]
    sizes = Counter(clusters)
    per_campaign = Counter()
    for campaign in {item.campaign for item in generated if item.campaign is not None}:
        per_campaign[campaign] = len({c for c, item in zip(clusters, generated, strict=True)
                                      if item.campaign == campaign})
    joined = sum(1 for c, item in zip(clusters, generated, strict=True)
                 if item.campaign is None and sizes[c] > 1)
    print(f"clusters per campaign: {sorted(per_campaign.values())}; unrelated posts sharing "
          f"a cluster: {joined}")


def _insert(texts: list[str]) -> tuple[object, list[tuple[int, str]]]:
    """The posts, stored without clustering or scanning; (id, text) in input order."""
    from tropewatch.orgs.models import Organisation
    from tropewatch.posts.bulk import upsert
    from tropewatch.posts.models import Post, Source

    org = Organisation.objects.create(name="Bench", slug="bench")
    source = Source.objects.create(org=org, platform="jsonl", name="bench")
    now = datetime.now(UTC)
    rows = [(org.pk, "jsonl", f"b{n}", source.pk, text, EPOCH + timedelta(seconds=n),
             "", {}, {}, f"{n:064x}", now, now) for n, text in enumerate(texts)]
    upsert(Post, ["org", "platform", "platform_id", "source", "text", "created_at", "url",
                  "reach", "raw", "content_sha256", "imported_at", "updated_at"], rows,
           unique=["org", "platform", "platform_id"])
    ids = dict(Post.objects.filter(org=org).values_list("platform_id", "pk"))
    return org, [(ids[f"b{n}"], text) for n, text in enumerate(texts)]


def _create_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    print(f"PostgreSQL database {name} (drop it when done)")


if __name__ == "__main__":
    main()
