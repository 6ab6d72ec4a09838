"""Benchmark `tropewatch scan` end to end: posts/s and peak RSS, printed as numbers.

Builds a CSV of N posts (real ISCA tweets from ../shared/data when present, cycled
to N; the bundled examples otherwise), runs the real CLI in a fresh process under
GNU time, and prints throughput and peak resident memory. Not a test: nothing fails.

    .venv/bin/python bench/bench_scan.py [--posts 20000]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ISCA = ROOT.parent / "shared" / "data" / "isca-goldstandard-2024" / "tweets.csv"


def source_texts() -> tuple[list[str], str]:
    if ISCA.exists():
        with ISCA.open(newline="", encoding="utf-8") as handle:
            return [row["Text"] for row in csv.DictReader(handle)], "ISCA tweets"
    with (ROOT / "examples" / "posts.csv").open(newline="", encoding="utf-8") as handle:
        return [row["text"] for row in csv.DictReader(handle)], "bundled examples"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20_000)
    args = parser.parse_args()
    texts, origin = source_texts()
    tropewatch = shutil.which("tropewatch", path=str(Path(sys.executable).parent))
    with tempfile.TemporaryDirectory() as tmp:
        data, out = Path(tmp) / "posts.csv", Path(tmp) / "out.jsonl"
        with data.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "text"])
            for i, text in enumerate(itertools.islice(itertools.cycle(texts), args.posts)):
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
