"""Benchmark the before/after estimate: the first call's cost (importing statsmodels, in a
fresh process) and the time per estimate for windows of several lengths, as the dashboard
would ask it once per group.

Each series is Poisson days, 1,000 posts a day and a rate of 4 per 1,000 posts, the same
length either side of the change. Not a test: nothing fails.

    .venv/bin/python bench/bench_before_after.py [--groups 50] [--weeks 4,8,26,52]
"""

from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
import time

import numpy as np

from tropewatch.trends.before_after import Day, estimate

CHANGE = datetime.date(2026, 3, 2)

FIRST_CALL = """
import datetime, time
start = time.perf_counter()
from tropewatch.trends.before_after import Day, estimate
imported = time.perf_counter()
c = datetime.date(2026, 3, 2)
estimate([Day(c + datetime.timedelta(days=i), 1000, 3 + i % 3) for i in range(-40, 40)], c)
done = time.perf_counter()
print(f"{imported - start:.3f} {done - imported:.3f}")
"""


def series(rng: np.random.Generator, weeks: int) -> list[Day]:
    offsets = range(-7 * weeks, 7 * weeks)
    return [Day(CHANGE + datetime.timedelta(days=i), 1000, int(rng.poisson(4)))
            for i in offsets]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--weeks", default="4,8,26,52", help="weeks either side, comma-separated")
    args = parser.parse_args()

    result = subprocess.run([sys.executable, "-c", FIRST_CALL], capture_output=True,
                            text=True, check=True)
    imported, first = (float(x) for x in result.stdout.split())
    print(f"fresh process: import {imported * 1000:.0f} ms, first estimate {first * 1000:.0f} ms "
          "(statsmodels and scipy.stats load here)")

    rng = np.random.default_rng(0)
    estimate(series(rng, 8), CHANGE)  # statsmodels loaded before the clock starts
    for weeks in (int(w) for w in args.weeks.split(",")):
        groups = [series(rng, weeks) for _ in range(args.groups)]
        start = time.perf_counter()
        for days in groups:
            estimate(days, CHANGE)
        each = (time.perf_counter() - start) / args.groups
        print(f"{weeks:>3} weeks a side: {each * 1000:.1f} ms an estimate "
              f"({args.groups} groups: {each * args.groups * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
