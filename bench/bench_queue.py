"""Benchmark the review queue: page latency (p50/p95) under concurrent moderators, on
PostgreSQL, with locust. Prints numbers; nothing fails.

Creates a throwaway database on the PostgreSQL server (default 127.0.0.1:5432, user postgres),
fills it with synthetic posts and detections (COPY, no detector run), makes one two-factor
verified session per moderator, serves the console with gunicorn on 127.0.0.1 and runs a
bounded, headless locust against it: loopback only, for --duration seconds.
The moderators arrive over --ramp-up seconds, and what is counted starts once all have: all
twenty arriving in one second made the first pages wait behind each other (queue p95 450 ms
against 140 once they were all at work, on 200,000 posts), which says nothing of a working
queue. --ramp-up 0 starts them all at once and counts from the start, as this did before.

    .venv/bin/python bench/bench_queue.py                        # small: 20k posts, 10 users
    .venv/bin/python bench/bench_queue.py --posts 1000000 --flagged 50000 --users 20 \\
        --duration 120 --workers 4                               # the target of issue 5
    .venv/bin/python bench/bench_queue.py --alone 20             # and each request's own cost
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORG = "bench"
CATEGORIES = ["power_control", "rothschild_soros", "holocaust_denial", "coded_language",
              "dehumanisation_slurs", "collective_blame"]
WORDS = ("the banks media control globalist people news today israel history they "
         "always again report reading group meeting weekend").split()
CAMPAIGN_COPIES = 25  # posts in each seeded campaign cluster


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--flagged", type=int, default=2_000)
    parser.add_argument("--users", type=int, default=10, help="concurrent moderators")
    parser.add_argument("--duration", type=int, default=30, help="seconds of load counted")
    parser.add_argument("--ramp-up", type=int, default=10, metavar="SECONDS",
                        help="seconds over which the moderators arrive, before the counted "
                             "load (0: all at once, counted from the start)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--alone", type=int, default=0, metavar="N",
                        help="first time each request N times for one moderator alone, "
                             "in-process: its cost without others waiting")
    args = parser.parse_args()
    if not 0 < args.flagged <= args.posts:
        parser.error("--flagged must be between 1 and --posts")

    import psycopg

    name = f"tropewatch_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ, "DATABASE_URL": f"{args.server}/{name}", "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0", "SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0",
        "DJANGO_SETTINGS_MODULE": "tropewatch.web.settings", "DATABASE_CONN_MAX_AGE": "60",
    }
    try:
        _run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], env)
        started = time.monotonic()
        sessions = _seed(env, args.posts, args.flagged, args.users)
        print(f"seeded {args.posts} posts ({args.flagged} flagged) and {args.users} "
              f"moderators in {time.monotonic() - started:.0f} s")
        if args.alone:
            _report_alone(_time_alone(env, sessions[0], args.alone), args.alone)
        stats = _load(env, sessions, args)
        _report(stats, args)
    finally:
        if not args.keep:
            with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            print(f"kept database {name}")


def _run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(command, env=env, cwd=ROOT, check=True)


def _seed(env: dict[str, str], posts: int, flagged: int, users: int) -> list[str]:
    """Posts, detections and moderators, in a child process with the bench's settings."""
    code = f"import bench.bench_queue as b; b.seed_in_django({posts}, {flagged}, {users})"
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True,
                            capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def seed_in_django(posts: int, flagged: int, users: int) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tropewatch.accounts.models import Membership
    from tropewatch.orgs.models import Organisation
    from tropewatch.posts.models import Author, Source
    from tropewatch.posts.scanning import current_model_version

    rng = random.Random(5)
    org = Organisation.objects.create(name="Bench", slug=ORG)
    sources = [Source.objects.create(org=org, platform="x", name=f"#source{i}") for i in range(20)]
    Author.objects.bulk_create(
        Author(org=org, platform="x", platform_id=f"a{i}", handle=f"user{i}") for i in range(5000)
    )
    author_ids = list(Author.objects.filter(org=org).values_list("pk", flat=True))
    flagged_ids = set(rng.sample(range(posts), flagged))
    now = datetime.now(UTC)
    model_version = current_model_version(org)
    connection.ensure_connection()
    with connection.connection.cursor() as raw:  # psycopg's own cursor, for COPY
        with raw.copy(
            "COPY posts_post (org_id, source_id, author_id, platform, platform_id, text, "
            "created_at, url, parent_url, reach, raw, content_sha256, imported_at, updated_at) "
            "FROM STDIN"
        ) as copy:
            for i in range(posts):
                reach = {"likes": int(rng.paretovariate(1.2)) - 1, "shares": rng.randrange(20)}
                copy.write_row((
                    org.pk, sources[i % len(sources)].pk, rng.choice(author_ids), "x", f"p{i}",
                    " ".join(rng.choices(WORDS, k=25)), now - timedelta(minutes=rng.randrange(
                        60 * 24 * 60)), f"https://x.com/u/status/{i}", "", json.dumps(reach), "{}",
                    f"{i:064x}", now, now,
                ))
        raw.execute("SELECT id, platform_id FROM posts_post WHERE org_id = %s", (org.pk,))
        ids = {platform_id: post_id for post_id, platform_id in raw.fetchall()}
        with raw.copy(
            "COPY posts_detection (org_id, post_id, antisemitic, score, categories, spans, "
            "counter_speech, explanation, model_version, policy, content_sha256, created_at) "
            "FROM STDIN"
        ) as copy:
            for i in range(posts):
                is_flagged = i in flagged_ids
                score = rng.uniform(0.4, 0.99) if is_flagged else rng.uniform(0.0, 0.35)
                categories = [{"id": c, "name": c, "score": score, "ihra_example": None}
                              for c in rng.sample(CATEGORIES, 2)] if is_flagged else []
                copy.write_row((
                    org.pk, ids[f"p{i}"], is_flagged, score, json.dumps(categories), "[]", 0.0,
                    "", model_version, "ihra", f"{i:064x}", now,
                ))
    _seed_clusters(connection, org, rng, [ids[f"p{i}"] for i in sorted(flagged_ids)])
    # COPY bypasses the write points that keep the queue's stored priority: fill it as the
    # migration does for rows stored before it.
    from tropewatch.review.priority import fill

    fill()
    with connection.connection.cursor() as raw:
        # A server with autovacuum on (the default) vacuums a table after so many inserts;
        # without it, each page's first reader pays to set the hint bits of every row, and
        # nothing is visible to index-only scans.
        raw.execute("VACUUM ANALYZE")
    session_keys = []
    for number in range(users):
        user = get_user_model().objects.create_user(f"moderator{number}")
        Membership.objects.create(org=org, user=user, role="moderator")
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        session = SessionStore()
        session.update({
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
            DEVICE_ID_SESSION_KEY: device.persistent_id,
        })
        session.create()
        session_keys.append(session.session_key)
    print(json.dumps(session_keys))


def _seed_clusters(connection, org, rng: random.Random, flagged_posts: list[int]) -> None:
    """Every flagged post in a cluster, as imports leave them: one in five a copy in a
    campaign of CAMPAIGN_COPIES, the others alone in theirs. The queue looks up each
    candidate's cluster, so a seed without them would time a queue no import produces."""
    from tropewatch.clusters.models import Cluster

    rng.shuffle(flagged_posts)
    campaign_posts = len(flagged_posts) // 5
    groups = [flagged_posts[start:start + CAMPAIGN_COPIES]
              for start in range(0, campaign_posts, CAMPAIGN_COPIES)]
    groups += [[post_id] for post_id in flagged_posts[campaign_posts:]]
    clusters = Cluster.objects.bulk_create(
        (Cluster(org=org, signature=b"") for _ in groups), batch_size=5000)
    with connection.connection.cursor() as raw, raw.copy(
        "COPY clusters_clustermember (org_id, post_id, cluster_id) FROM STDIN"
    ) as copy:
        for cluster, members in zip(clusters, groups, strict=True):
            for post_id in members:
                copy.write_row((org.pk, post_id, cluster.pk))


def _time_alone(env: dict[str, str], session: str, rounds: int) -> dict[str, float]:
    """Median milliseconds of each request, one moderator, in a child process."""
    code = f"import bench.bench_queue as b; b.time_alone_in_django({session!r}, {rounds})"
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True,
                            capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def time_alone_in_django(session: str, rounds: int) -> None:
    """The locust moderator's requests in turn, through Django's test client (no server,
    no network), after three rounds to warm up."""
    import statistics

    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = session
    rng = random.Random(7)
    queue = f"/o/{ORG}/queue/"

    def item_after(response) -> str:
        return response.redirect_chain[-1][0].split("?")[0]

    requests = {
        "queue": lambda: client.get(queue),
        "queue (filtered)": lambda: client.get(queue, {
            "category": rng.choice(CATEGORIES[:4]), "min_score": "0.6", "status": "pending"}),
        "claim next + item page": lambda: client.post(f"{queue}next/", follow=True),
        "decide + next item page": lambda: client.post(
            f"{item_after(opened)}decide/", {"action": "dismiss", "reason": "news"},
            follow=True),
    }
    times: dict[str, list[float]] = {name: [] for name in requests}
    for round_ in range(rounds + 3):
        for name, request in requests.items():
            started = time.perf_counter()
            response = request()
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"{name}: HTTP {response.status_code}")
            if name == "claim next + item page":
                opened = response
            if round_ >= 3:
                times[name].append(elapsed * 1000)
    print(json.dumps({name: statistics.median(ms) for name, ms in times.items()}))


def _report_alone(medians: dict[str, float], rounds: int) -> None:
    print(f"\none moderator alone, in-process, median of {rounds}")
    for name, ms in medians.items():
        print(f"{name:32} {ms:7.1f} ms")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _load(env: dict[str, str], sessions: list[str], args) -> list[dict[str, str]]:
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tropewatch.web.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", str(args.workers), "--log-level", "warning"],
        env=env, cwd=ROOT,
    )
    try:
        _wait_for(host + "/login/")
        _warm_up(f"{host}/o/{ORG}/queue/", sessions[0], args.workers)
        with tempfile.TemporaryDirectory() as folder:
            prefix = Path(folder) / "bench"
            subprocess.run(
                [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locust_queue.py"),
                 "--headless", "--users", str(args.users), *_arrivals(args.users, args.ramp_up),
                 "--run-time", f"{args.duration + args.ramp_up}s", "--stop-timeout", "10",
                 "--host", host,
                 "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
                env={**env, "BENCH_SESSIONS": json.dumps(sessions), "BENCH_ORG": ORG},
                cwd=ROOT, check=False, timeout=args.duration + args.ramp_up + 120,
            )
            with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
                return list(csv.DictReader(handle))
    finally:
        server.terminate()
        server.wait(timeout=30)


def _arrivals(users: int, ramp_up: int) -> list[str]:
    """Locust's options for moderators arriving over ``ramp_up`` seconds, the statistics
    reset once all have arrived."""
    if ramp_up <= 0:
        return ["--spawn-rate", str(users)]
    return ["--spawn-rate", f"{users / ramp_up:g}", "--reset-stats"]


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _warm_up(url: str, session: str, workers: int) -> None:
    """Load each worker's lazily loaded parts (the detector's model version, the taxonomy)
    before measuring, as a long-running server has them loaded."""
    from concurrent.futures import ThreadPoolExecutor

    def get(_: int) -> None:
        request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"})
        urllib.request.urlopen(request, timeout=60).close()

    with ThreadPoolExecutor(max_workers=workers * 2) as pool:
        list(pool.map(get, range(workers * 8)))


def _report(stats: list[dict[str, str]], args) -> None:
    print(f"\n{args.posts} posts, {args.flagged} flagged, {args.users} moderators, "
          f"{args.duration} s counted after {args.ramp_up} s of arrivals, {args.workers} "
          f"gunicorn workers, {os.cpu_count()} CPUs")
    print(f"{'request':32} {'count':>7} {'fails':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for row in stats:
        print(f"{row['Name']:32} {row['Request Count']:>7} {row['Failure Count']:>6} "
              f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7}")


if __name__ == "__main__":
    main()
