"""What an import's worker processes run (see scan_ahead.py). No Django here: a spawned worker
imports this module to unpickle its work, and needs only the detector."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Sequence
from multiprocessing.connection import wait


def start_worker() -> None:
    """The worker's initializer: end with the importing process, and load the detector once,
    before the first batch arrives."""
    from tropewatch.detector import load_detector

    _exit_with_parent()
    load_detector()


def judge(texts: Sequence[str], policy: str) -> list[dict]:
    """The verdicts of ``texts`` as dictionaries, which are cheap to send back."""
    from tropewatch.detector import detect_batch

    return [verdict.to_dict() for verdict in detect_batch(texts, policy=policy)]


def _exit_with_parent() -> None:
    """An import killed outright (kill -9, the OOM killer) would leave its workers waiting on
    their queue for ever, each holding a detector's memory and the import's stdout: a thread
    ends the worker as soon as its parent's end of the spawn pipe closes."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
