"""CPU time spent in each stage of the detector, for the benchmarks: a change to the code
shows which stage it moved, where posts/s alone shows only that something did.

It counts the CPU time of the thread that runs the stages (``time.thread_time``), so waiting
is not counted. The transformer's own threads are not timed here: their CPU time is the
process's less this thread's, which ``bench/bench_scan.py --stages`` prints beside the rest.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext


class StageClock:
    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.posts: Counter[str] = Counter()  # posts each stage was given

    def stage(self, name: str, posts: int) -> AbstractContextManager[None]:
        return self._timed(name, posts)

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


UNCLOCKED = _Unclocked()
