"""Benchmark `tropewatch import`: N posts from JSON Lines, stored and scanned; posts/s and peak RSS.

Writes N synthetic posts as JSON Lines (texts cycled from the ISCA tweets in ../shared/data
when present, else from the bundled examples, or with --relevant-share the mixed stream of
bench_scan.py; ids, authors, times and replies generated),
then imports them with the real CLI in a fresh process into a new SQLite file, and into
PostgreSQL too when DATABASE_URL is set (into a new organisation there, so every post is
new). Migrations run before the clock starts. Not a test: nothing fails. Each import also
prints its CPU time by stage (``tropewatch import --timings``): reading, storing, and judging
in the importing process and in the scanning workers. The import judges
posts in IMPORT_SCAN_PROCESSES worker processes (imports/scan_ahead.py); compare with
IMPORT_SCAN_AHEAD_MIN_BYTES=1000000000000, which keeps them all in the importing process.

With --long-posts it imports instead, for each size in MB, a file of three posts whose middle
one is that long, as JSON Lines and as CSV, and prints time and peak RSS of each import (posts
over records.MAX_TEXT_CHARS are skipped as bad records; the bar is 500 MB for the whole import).

    .venv/bin/python bench/bench_import.py [--posts 1000000] [--batch-size 500]
    .venv/bin/python bench/bench_import.py --posts 100000 --relevant-share 0.05   # mixed stream
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/bench_import.py
    .venv/bin/python bench/bench_import.py --long-posts 13,50

With --workers 1,3 it imports instead through Celery: for each count, that many
``tropewatch worker --concurrency 1`` processes (started and ready before the clock starts)
share one queued import (imports/shared_judging.py), into PostgreSQL (DATABASE_URL) with
REDIS_URL set; it prints the time from queueing to the finished run.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/bench_import.py --posts 20000 --workers 1,2
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ISCA = ROOT.parent / "shared" / "data" / "isca-goldstandard-2024" / "tweets.csv"
CLI = [sys.executable, "-c", "from tropewatch.cli import app; app()"]
AUTHORS = 50_000
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def source_texts() -> tuple[list[str], str]:
    if ISCA.exists():
        with ISCA.open(newline="", encoding="utf-8") as handle:
            return [row["Text"] for row in csv.DictReader(handle)], "ISCA tweets"
    with (ROOT / "examples" / "posts.csv").open(newline="", encoding="utf-8") as handle:
        return [row["text"] for row in csv.DictReader(handle)], "bundled examples"


def write_posts(path: Path, count: int, texts: list[str]) -> None:
    """One JSON object per line in the generic JSONL layout (id, text, created_at, author,
    url, parent); every tenth post replies to the one before it."""
    with path.open("w", encoding="utf-8") as out:
        for number, text in enumerate(itertools.islice(itertools.cycle(texts), count)):
            post = {
                "id": f"bench-{number}",
                "text": text,
                "created_at": (EPOCH + timedelta(seconds=number)).isoformat(),
                "author": f"author{number % AUTHORS}",
                "url": f"https://example.org/posts/{number}",
            }
            if number % 10 == 9:
                post["parent"] = f"bench-{number - 1}"
            out.write(json.dumps(post) + "\n")


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MiB and stderr of one command in a fresh process."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as stderr:
        process = subprocess.Popen([*CLI, *args], env=env, cwd=ROOT, stderr=stderr,
                                   stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        stderr.seek(0)
        messages = stderr.read()
    if process.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({process.returncode}):\n{messages}")
    return seconds, usage.ru_maxrss / 1024, messages  # ru_maxrss is in KiB on Linux


def scanning(export: Path) -> str:
    """Where the import judges posts, from the settings the import reads from this same
    environment (imports/scan_ahead.py worker_count decides it by them)."""
    from tropewatch.web import settings  # plain module constants: no Django set-up needed

    if (export.stat().st_size < settings.IMPORT_SCAN_AHEAD_MIN_BYTES
            or settings.IMPORT_SCAN_PROCESSES < 1):
        return "judged in the importing process"
    return f"{settings.IMPORT_SCAN_PROCESSES} scanning processes"


def bench(name: str, database_url: str, export: Path, count: int, batch_size: int) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("REDIS_URL", None)  # import in this process, not on a worker
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env,
                   cwd=ROOT, check=True)
    org = f"bench-{int(time.time())}"
    command = ["import", str(export), "--platform", "jsonl", "--source", "bench",
               "--org", org, "--create-org", "--batch-size", str(batch_size), "--timings"]
    seconds, peak_mib, messages = run(command, env)
    lines = messages.strip().splitlines()
    summary = next(line for line in reversed(lines) if line.startswith("import #"))
    print(f"{name}: {count} posts in {seconds:.1f} s = {count / seconds:.0f} posts/s "
          f"(import + scan, {scanning(export)}), peak RSS of the importing process "
          f"{peak_mib:.0f} MiB")
    print(f"  {summary}")
    print("\n".join(lines[lines.index("CPU seconds by stage:"):]))


def write_long_post(path: Path, megabytes: float) -> None:
    """An ordinary post, one of about ``megabytes`` MB, another ordinary one; JSONL or CSV.
    The long text is written a stretch at a time: a process that once held it whole would
    pass that peak on to the imports it starts (ru_maxrss counts the parent's at the fork)."""
    stretch = "The Rothschilds own the banks, said the post. Caf\u00e9. "
    repeats = int(megabytes * 2**20) // len(stretch)
    created = EPOCH.isoformat()
    with path.open("w", newline="", encoding="utf-8") as out:
        if path.suffix == ".jsonl":
            out.write(json.dumps({"id": "before", "text": "an ordinary post",
                                  "created_at": created}) + "\n")
            out.write('{"id": "long", "text": "')
            for _ in range(repeats):
                out.write(json.dumps(stretch)[1:-1])
            out.write(f'", "created_at": "{created}"}}\n')
            out.write(json.dumps({"id": "after", "text": "another ordinary post",
                                  "created_at": created}) + "\n")
        else:  # the stretch holds no double quote, so it needs none doubled
            out.write(f"id,text,created_at\nbefore,an ordinary post,{created}\nlong,\"")
            for _ in range(repeats):
                out.write(stretch)
            out.write(f'",{created}\nafter,another ordinary post,{created}\n')


def bench_long_posts(sizes_mb: list[float], tmp: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'long.sqlite3'}"}
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env,
                   cwd=ROOT, check=True)
    for size in sizes_mb:
        for fmt in ("jsonl", "csv"):
            export = tmp / f"long-{size}.{fmt}"
            write_long_post(export, size)
            command = ["import", str(export), "--platform", fmt, "--source", "long posts",
                       "--create-org", "--org", f"long-{size:g}-{fmt}"]  # all posts new
            seconds, peak_mib, messages = run(command, env)
            print(f"{size:g} MB post, {fmt}: {seconds:.1f} s, peak RSS {peak_mib:.0f} MiB")
            for line in messages.strip().splitlines():
                print(f"  {line}")


def bench_workers(counts: list[int], export: Path, posts: int, batch_size: int) -> None:
    database_url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    if not (database_url or "").startswith("postgres") or not redis_url:
        sys.exit("--workers needs DATABASE_URL (PostgreSQL) and REDIS_URL")
    env = {**os.environ, "IMPORT_BATCH_SIZE": str(batch_size),
           "CELERY_QUEUE": f"bench-{uuid.uuid4().hex}"}  # no other worker takes its tasks
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env,
                   cwd=ROOT, check=True)
    for count in counts:
        with tempfile.TemporaryDirectory() as logs:
            workers = [start_worker(env, Path(logs) / f"worker-{n}.log") for n in range(count)]
            try:
                org = f"bench-{uuid.uuid4().hex[:8]}"
                started = time.perf_counter()
                run(["import", str(export), "--platform", "jsonl", "--source", "bench",
                     "--org", org, "--create-org", "--queue"], env)
                status, message = wait_for_import(org, env, workers)
                seconds = time.perf_counter() - started
            finally:
                for worker in workers:
                    worker.terminate()
                for worker in workers:
                    worker.wait(timeout=60)
        print(f"{count} worker{'s' if count > 1 else ''}: {posts} posts in {seconds:.1f} s = "
              f"{posts / seconds:.0f} posts/s (queued to {status}{message and ': ' + message})")


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    """A worker, once it says it is ready (its pool process loads the models with its first
    task, inside the timing: as in a deployment whose worker has just started)."""
    with log.open("w") as out:
        worker = subprocess.Popen([*CLI, "worker", "--concurrency", "1"], env=env, cwd=ROOT,
                                  stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while " ready." not in log.read_text():
        if worker.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"a worker did not start:\n{log.read_text()}")
        time.sleep(0.1)
    return worker


def wait_for_import(org: str, env: dict[str, str], workers: list) -> tuple[str, str]:
    import psycopg

    while True:
        with psycopg.connect(env["DATABASE_URL"]) as connection:
            row = connection.execute(
                "SELECT r.status, r.message FROM imports_importrun r "
                "JOIN orgs_organisation o ON o.id = r.org_id WHERE o.slug = %s", (org,),
            ).fetchone()
        if row and row[0] in ("finished", "failed"):
            return row
        if any(worker.poll() is not None for worker in workers):
            sys.exit("a worker stopped during the import")
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--relevant-share", type=float, default=1.0,
                        help="a mixed stream as bench_scan.py makes it, e.g. 0.05")
    parser.add_argument("--workers", metavar="N,N", help="import through this many Celery "
                        "workers instead, for each count (needs DATABASE_URL and REDIS_URL)")
    parser.add_argument("--long-posts", metavar="MB,MB", help="import one long post of each "
                        "size (in MB) instead, as JSONL and CSV, e.g. 13,50")
    args = parser.parse_args()
    if args.long_posts:
        with tempfile.TemporaryDirectory() as tmp:
            bench_long_posts([float(size) for size in args.long_posts.split(",")], Path(tmp))
        return
    if args.relevant_share < 1:
        sys.path.insert(0, str(ROOT / "bench"))
        from bench_scan import source_texts as mixed_texts

        stream, origin = mixed_texts(args.relevant_share)
        texts = list(itertools.islice(stream, args.posts))
    else:
        texts, origin = source_texts()
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "posts.jsonl"
        started = time.perf_counter()
        write_posts(export, args.posts, texts)
        print(f"wrote {args.posts} posts ({origin}, {export.stat().st_size / 2**20:.0f} MiB) "
              f"in {time.perf_counter() - started:.1f} s")
        if args.workers:
            bench_workers([int(n) for n in args.workers.split(",")], export, args.posts,
                          args.batch_size)
            return
        bench("SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", export, args.posts,
              args.batch_size)
        if os.environ.get("DATABASE_URL"):
            bench("PostgreSQL", os.environ["DATABASE_URL"], export, args.posts, args.batch_size)


if __name__ == "__main__":
    main()
