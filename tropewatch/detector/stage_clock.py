"""CPU time spent in each stage of the detector, for the benchmarks: a change to the code
shows which stage it moved, where posts/s alone shows only that something did.

It counts the CPU time of the thread that runs the stages (``time.thread_time``), so waiting
is not counted. The transformer's own threads, and an import's worker processes, are not
timed here: ``bench/bench_scan.py --stages`` and ``tropewatch import --timings`` print
their CPU time beside the stages, as the process's (or its children's) less this thread's.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext


class StageClock:
    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.posts: Counter[str] = Counter()  # posts each stage was given

    def stage(self, name: str, posts: int) -> AbstractContextManager[None]:
        return self._timed(name, posts)

    def timed(self, items: Iterable, name: str) -> Iterator:
        """``items``, with the time spent producing each charged to stage ``name``."""
        iterator = iter(items)
        while True:
            with self.stage(name, 0):
                try:
                    item = next(iterator)
                except StopIteration:
                    return
            self.posts[name] += 1
            yield item

    def table(self, others: Iterable[tuple[str, float]] = ()) -> list[str]:
        """The stages that were given anything, then ``others`` (name, CPU seconds), as the
        lines of a table."""
        rows = [(name, seconds, self.posts[name]) for name, seconds in self.seconds.items()
                if self.posts[name]]
        rows += [(name, seconds, 0) for name, seconds in others]
        lines = [f"  {'stage':<56} {'CPU s':>8} {'items in':>9} {'us each':>8}"]
        for name, seconds, given in rows:
            each = f"{seconds / given * 1e6:8.0f}" if given else f"{'':>8}"
            lines.append(f"  {name:<56} {seconds:8.2f} {given or '':>9} {each}")
        return lines

    @contextmanager
    def _timed(self, name: str, posts: int) -> Iterator[None]:
        started = time.thread_time()
        try:
            yield
        finally:
            self.seconds[name] += time.thread_time() - started
            self.posts[name] += posts


class _Unclocked(StageClock):
    """What the detector runs with outside benchmarks: times nothing, costs nothing."""

    def stage(self, name: str, posts: int) -> AbstractContextManager[None]:
        return nullcontext()

    def timed(self, items: Iterable, name: str) -> Iterable:
        return items


UNCLOCKED = _Unclocked()
