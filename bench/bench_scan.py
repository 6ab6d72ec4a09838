"""Benchmark `tropewatch scan` end to end: posts/s and peak RSS, printed as numbers.

Builds a CSV of N posts and runs the real CLI in a fresh process under GNU time,
printing throughput and peak resident memory. Not a test: nothing fails.

- default (worst case): every post is an ISCA tweet, all sampled for mentioning Jews,
  Israel or a slur, so every post passes the relevance gate. Only tweets of the
  held-out dev and test splits are used: on training tweets the n-gram model is
  over-confident, so the transformer gate would skip more of them than of new posts;
- ``--relevant-share 0.05``: a mixed stream, 5% such tweets and 95% HateXplain posts
  labelled normal that touch nothing relevant. HateXplain was sampled with hate
  keywords, so about 10% of even its normal posts mention Jews, Nazis or the Holocaust;
  those are left out so that the stream holds the stated share. This measures speed
  only: how many antisemitic posts the gate wrongly clears is measured on dev at
  training time and recorded in the model's meta.json.

The share of posts that passed the relevance gate is printed with the numbers.

``--stages`` then scans the same file again in this process, as ``tropewatch scan`` does,
and prints the CPU seconds of each stage (``tropewatch.detector.stage_clock``): reading,
each detector stage, writing, and the transformer's own threads. A change shows there
which stage it moved.

    .venv/bin/python bench/bench_scan.py [--posts 20000] [--relevant-share 0.05] [--stages]
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
from functools import partial
from pathlib import Path

from tropewatch.cli.scan_results import classify_rows, write_results
from tropewatch.detector import detect_batch, load_detector
from tropewatch.detector.lexicon import load_lexicon
from tropewatch.detector.normalize import normalize
from tropewatch.detector.relevance import is_relevant
from tropewatch.detector.stage_clock import StageClock
from tropewatch.detector.training.dataset import load_isca
from tropewatch.ingest.generic import read_text_rows
from tropewatch.ingest.inputs import open_text

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
HATEXPLAIN = DATA / "hatexplain" / "posts.csv"


def _relevant(text: str) -> bool:
    normalized = normalize(text)
    return is_relevant(normalized, load_lexicon().find(normalized))


def _chatter() -> list[str]:
    with HATEXPLAIN.open(newline="", encoding="utf-8") as handle:
        return [row["text"] for row in csv.DictReader(handle)
                if (row["majority_label"] or row["kaggle_label"]) == "normal"
                and not _relevant(row["text"])]


def source_texts(relevant_share: float) -> tuple[Iterator[str], str]:
    if not DATA.exists():
        with (ROOT / "examples" / "posts.csv").open(newline="", encoding="utf-8") as handle:
            texts = [row["text"] for row in csv.DictReader(handle)]
        return itertools.cycle(texts), "bundled examples"
    isca, _ = load_isca(DATA)
    tweets = itertools.cycle([e.text for e in isca if e.split != "train"])
    if relevant_share >= 1:
        return tweets, "held-out ISCA tweets (all relevant)"
    chatter = itertools.cycle(_chatter())
    every = round(1 / relevant_share)
    mixed = (next(tweets) if i % every == 0 else next(chatter) for i in itertools.count())
    return mixed, f"1 in {every} a held-out ISCA tweet, the rest HateXplain normal posts"


def print_stages(data: Path, out: Path) -> None:
    """Scan ``data`` in this process as ``tropewatch scan`` does, and print the CPU seconds
    of each stage. The model is loaded first, so loading is not counted."""
    load_detector()
    clock = StageClock()
    process_started, thread_started = time.process_time(), time.thread_time()
    with open_text(data) as stream:
        rows = clock.timed(read_text_rows(stream, "csv", "text", "id"), "read the CSV")
        posts = write_results(classify_rows(rows, partial(detect_batch, clock=clock)), str(out))
    this_thread = time.thread_time() - thread_started
    process = time.process_time() - process_started
    print(f"CPU seconds by stage, {posts} posts scanned in this process:")
    print("\n".join(clock.table([
        ("write the results (the rest of this thread)",
         this_thread - sum(clock.seconds.values())),
        ("transformer threads (the process less this thread)", process - this_thread),
        ("the whole process", process),
    ])))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--relevant-share", type=float, default=1.0)
    parser.add_argument("--stages", action="store_true",
                        help="also print the CPU time of each stage (an in-process scan)")
    args = parser.parse_args()
    texts, origin = source_texts(args.relevant_share)
    tropewatch = shutil.which("tropewatch", path=str(Path(sys.executable).parent))
    with tempfile.TemporaryDirectory() as tmp:
        data, out = Path(tmp) / "posts.csv", Path(tmp) / "out.jsonl"
        with data.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "text"])
            relevant = 0
            for i, text in enumerate(itertools.islice(texts, args.posts)):
                writer.writerow([i, text])
                relevant += _relevant(text)
        command = ["/usr/bin/time", "-v", tropewatch, "scan", str(data), "--text-column",
                   "text", "--id-column", "id", "--output", str(out)]
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        elapsed = time.perf_counter() - started
        rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)",
                               result.stderr).group(1))
        rows = sum(1 for _ in out.open(encoding="utf-8"))
        print(f"posts: {rows} ({origin})")
        print(f"past the relevance gate: {relevant / rows:.1%}")
        print(f"wall seconds (incl. start-up and model load): {elapsed:.1f}")
        print(f"posts/s: {rows / elapsed:.0f}")
        print(f"peak RSS MB: {rss_kb / 1024:.0f}")
        if args.stages:
            print_stages(data, Path(tmp) / "staged.jsonl")


if __name__ == "__main__":
    main()
