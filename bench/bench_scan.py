"""Benchmark `tropewatch scan` end to end: posts/s and peak RSS, printed as numbers.

Builds a CSV of N posts and runs the real CLI in a fresh process under GNU time,
printing throughput and peak resident memory. Not a test: nothing fails.

- default (worst case): every post is an ISCA tweet, all sampled for mentioning Jews,
  Israel or a slur, so every post goes through every stage;
- ``--relevant-share 0.05``: a mixed stream, 5% ISCA tweets and 95% HateXplain posts
  labelled normal (ordinary social-media chatter), to measure the cascade.

    .venv/bin/python bench/bench_scan.py [--posts 20000] [--relevant-share 0.05]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
ISCA = DATA / "isca-goldstandard-2024" / "tweets.csv"
HATEXPLAIN = DATA / "hatexplain" / "posts.csv"


def _column(path: Path, column: str, keep=lambda row: True) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row[column] for row in csv.DictReader(handle) if keep(row)]


def source_texts(relevant_share: float) -> tuple[Iterator[str], str]:
    if not ISCA.exists():
        texts = _column(ROOT / "examples" / "posts.csv", "text")
        return itertools.cycle(texts), "bundled examples"
    tweets = itertools.cycle(_column(ISCA, "Text"))
    if relevant_share >= 1:
        return tweets, "ISCA tweets (all relevant)"
    chatter = itertools.cycle(_column(
        HATEXPLAIN, "text", lambda row: (row["majority_label"] or row["kaggle_label"]) == "normal"))
    every = round(1 / relevant_share)
    mixed = (next(tweets) if i % every == 0 else next(chatter) for i in itertools.count())
    return mixed, f"1 in {every} an ISCA tweet, the rest HateXplain normal posts"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--relevant-share", type=float, default=1.0)
    args = parser.parse_args()
    texts, origin = source_texts(args.relevant_share)
    tropewatch = shutil.which("tropewatch", path=str(Path(sys.executable).parent))
    with tempfile.TemporaryDirectory() as tmp:
        data, out = Path(tmp) / "posts.csv", Path(tmp) / "out.jsonl"
        with data.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "text"])
            for i, text in enumerate(itertools.islice(texts, args.posts)):
                writer.writerow([i, text])
        command = ["/usr/bin/time", "-v", tropewatch, "scan", str(data), "--text-column",
                   "text", "--id-column", "id", "--output", str(out)]
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        elapsed = time.perf_counter() - started
        rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)",
                               result.stderr).group(1))
        rows = sum(1 for _ in out.open(encoding="utf-8"))
    print(f"posts: {rows} ({origin})")
    print(f"wall seconds (incl. start-up and model load): {elapsed:.1f}")
    print(f"posts/s: {rows / elapsed:.0f}")
    print(f"peak RSS MB: {rss_kb / 1024:.0f}")


if __name__ == "__main__":
    main()
