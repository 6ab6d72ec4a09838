"""Benchmark the evidence chain: decisions/s through `record` (event, evidence and links in one
transaction) and links/s checked by `tropewatch verify` in a fresh process, with its peak RSS.

Makes N posts in a new organisation, then decides each one in turn: every other post is
confirmed (an event and an evidence record: two links), the rest get a note (one link). Into
a new SQLite file, or the database DATABASE_URL names (a new organisation there). Not a
test: nothing fails.

    .venv/bin/python bench/bench_verify.py [--posts 5000] [--without-chain]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/bench_verify.py
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

CLI = [sys.executable, "-c", "from tropewatch.cli import app; app()"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--without-chain", action="store_true",
                        help="decide without chaining or evidence: the cost they add")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-verify-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    from tropewatch.cli.support import setup_django

    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from tropewatch.orgs.models import Organisation
    from tropewatch.posts.models import Detection, Post, Source
    from tropewatch.posts.scanning import current_model_version
    from tropewatch.review.decisions import Decision, record
    from tropewatch.review.status import Action

    slug = f"bench-{int(time.time())}"
    org = Organisation.objects.create(name=slug, slug=slug)
    source = Source.objects.create(org=org, platform="x", name="bench")
    lead = get_user_model().objects.create_user(slug)
    now = datetime.now(UTC)
    posts = Post.objects.bulk_create(
        Post(org=org, source=source, platform="x", platform_id=str(n), text=f"post {n}",
             created_at=now, content_sha256="0" * 64) for n in range(args.posts))
    Detection.objects.bulk_create(
        Detection(org=org, post=post, antisemitic=True, score=0.9, model_version="bench",
                  policy=org.policy, content_sha256="0" * 64) for post in posts)

    # Evidence records the model version in force: its first call imports the detector
    # (seconds, once per process, as in a server that has shown an item), not timed here.
    current_model_version()
    if args.without_chain:
        import tropewatch.review.decisions

        tropewatch.review.decisions.on_recorded = lambda *_: None
    start = time.perf_counter()
    for number, post in enumerate(posts):
        action = Action.CONFIRM if number % 2 == 0 else Action.NOTE
        record(org, post.pk, lead, "lead", Decision(action, note="bench"))
    decided = time.perf_counter() - start
    links = args.posts + (args.posts + 1) // 2

    if args.without_chain:
        print(f"record without the chain: {args.posts / decided:,.0f} decisions/s")
        return
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *CLI, "verify", "--org", slug],
                          capture_output=True, text=True, env=os.environ)
    print(f"database: {connection.vendor}; {args.posts} decisions, {links} links")
    print(f"record: {args.posts / decided:,.0f} decisions/s ({decided:.1f} s)")
    verify = _verify_seconds(slug)
    peak_mib = int(done.stderr.strip().splitlines()[-1]) / 1024
    print(f"verify: {links / verify:,.0f} links/s ({verify:.2f} s in-process); "
          f"fresh process peak RSS {peak_mib:.0f} MiB, exit {done.returncode}")


def _verify_seconds(slug: str) -> float:
    from tropewatch.evidence.verify import Intact, verify_chain
    from tropewatch.orgs.models import Organisation

    start = time.perf_counter()
    result = verify_chain(Organisation.objects.get(slug=slug))
    elapsed = time.perf_counter() - start
    assert isinstance(result, Intact), result
    return elapsed


if __name__ == "__main__":
    main()
