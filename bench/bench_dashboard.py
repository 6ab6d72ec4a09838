"""Benchmark the leads' dashboard: response time with 1,000,000 posts' worth of roll-ups, in a
throwaway SQLite database. Prints numbers; nothing fails.

The roll-up rows are inserted directly (what ``tropewatch rollup`` would leave for a million
posts: a year of days x sources x categories), not the million raw posts: the dashboard's rates
read only roll-ups. Its other figures read the reviewed and reported posts, so those are real
raw rows (``--reviewed`` posts with a decision, a tenth of them reported to the platform).
The target of issue 20 is 500 ms.

    .venv/bin/python bench/bench_dashboard.py                  # 1,000,000 posts, 10 sources
    .venv/bin/python bench/bench_dashboard.py --posts 100000 --requests 5
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ["power_control", "rothschild_soros", "holocaust_denial", "coded_language",
              "dehumanisation_slurs", "collective_blame", "nazi_analogy", "dual_loyalty",
              "double_standards", "general_antisemitism"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--sources", type=int, default=10)
    parser.add_argument("--reviewed", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=9)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="tropewatch-bench-dashboard-")
    os.environ.update({"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
                       "DJANGO_SETTINGS_MODULE": "tropewatch.web.settings",
                       "SECRET_KEY": "bench-only", "DEBUG": "0", "ALLOWED_HOSTS": "testserver",
                       "SECURE_SSL_REDIRECT": "0"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    org, rows = _seed(args)
    print(f"seeded {rows} roll-up rows for {args.posts} posts over {args.days} days and "
          f"{args.sources} sources, and {args.reviewed} reviewed posts, in "
          f"{time.monotonic() - started:.0f} s")
    _time_requests(org, args.requests)


def _seed(args) -> tuple[object, int]:
    from django.contrib.auth import get_user_model

    from tropewatch.impact.models import DailyRollup
    from tropewatch.orgs.models import Organisation
    from tropewatch.posts.models import Post, Source
    from tropewatch.reports.models import PlatformReport
    from tropewatch.review.models import ReviewEvent, ReviewState

    rng = random.Random(20)
    org = Organisation.objects.create(name="Bench", slug="bench")
    sources = [Source.objects.create(org=org, platform="x", name=f"source {n}")
               for n in range(args.sources)]
    first = date.today() - timedelta(days=args.days)
    per_group = args.posts // (args.days * args.sources)
    batch = []
    for day in (first + timedelta(days=d) for d in range(args.days)):
        for source in sources:
            flagged = rng.randint(0, per_group // 20)
            confirmed = rng.randint(0, flagged)
            batch.append(DailyRollup(org=org, day=day, source=source, platform="x", category="",
                                     posts=per_group, flagged=flagged, confirmed=confirmed,
                                     dismissed=flagged - confirmed,
                                     model_versions={"2026.11.6": per_group}))
            for category in rng.sample(CATEGORIES, 6):
                f = rng.randint(0, flagged)
                batch.append(DailyRollup(org=org, day=day, source=source, platform="x",
                                         category=category, flagged=f,
                                         confirmed=rng.randint(0, f)))
    DailyRollup.objects.bulk_create(batch, batch_size=5000)
    now = datetime.now(UTC)
    posts = Post.objects.bulk_create([
        Post(org=org, source=rng.choice(sources), platform="x", platform_id=f"r{n}",
             text="reviewed", content_sha256="0" * 64,
             created_at=now - timedelta(days=rng.uniform(0, args.days)))
        for n in range(args.reviewed)], batch_size=2000)
    ReviewEvent.objects.bulk_create([
        ReviewEvent(org=org, post=post, actor_name="bench", actor_role="moderator",
                    action="confirm", created_at=post.created_at + timedelta(hours=5))
        for post in posts], batch_size=2000)
    ReviewState.objects.bulk_create([ReviewState(org=org, post=post, status="confirmed")
                                     for post in posts], batch_size=2000)
    PlatformReport.objects.bulk_create([
        PlatformReport(org=org, post=post, platform="x", status="submitted", rules_version="1",
                       report_text="r", submitted_at=post.created_at + timedelta(hours=6))
        for post in posts[::10]], batch_size=2000)
    get_user_model().objects.create_superuser("bench", password="bench-password-unused")
    return org, len(batch)


def _time_requests(org, requests: int) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))
    session = client.session
    # The bench user has no device: mark the session as verified the way django-otp does.
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=get_user_model().objects.get(username="bench"),
                                       name="bench", confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    for label, query in (("all time", {}),
                         ("90 days, one source", {"since": str(date.today() - timedelta(90)),
                                                  "source": "1"}),
                         ("one category", {"category": "rothschild_soros"}),
                         # One estimate per source: the first request loads statsmodels.
                         ("before and after, every source",
                          {"change": str(date.today() - timedelta(120))})):
        times = []
        for _ in range(requests + 1):
            started = time.perf_counter()
            response = client.get(f"/o/{org.slug}/dashboard/", query)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        warm = times[1:]  # the first request loads templates and the taxonomy
        print(f"dashboard, {label}: median {statistics.median(warm):.0f} ms over "
              f"{len(warm)} requests (min {min(warm):.0f}, max {max(warm):.0f}; "
              f"first {times[0]:.0f} ms)")


if __name__ == "__main__":
    main()
