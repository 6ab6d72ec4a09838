"""What ``tropewatch scan`` does with the rows it reads: classify them in batches, keeping
every row in its place, and write one JSON line per row.

Reading the input (formats, limits, bad rows) is the ingest layer's:
``tropewatch.ingest.generic.read_text_rows``.
"""

from __future__ import annotations

import io
import json
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # importing these loads the model and the ingest code; only types are needed
    from tropewatch.detector.verdict import Verdict
    from tropewatch.ingest.generic import TextRow

STDOUT = "-"


class UnwritableOutput(Exception):
    """The results cannot be written where they were asked for; the message says why."""


def classify_rows(
    rows: Iterable[TextRow],
    classify: Callable[[Iterable[str]], Iterable[Verdict]],
) -> Iterator[tuple[TextRow, Verdict | None]]:
    """Pair every row with its verdict (None for bad rows), in input order.

    ``classify`` gets one stream of the good texts, so it can batch them as it likes and
    work on one batch while it reads the next; the rows it has read but not yet answered
    wait here, bad ones included, so bad rows keep their place.
    """
    waiting: deque[TextRow] = deque()

    def good_texts() -> Iterator[str]:
        for row in rows:
            waiting.append(row)
            if row.text is not None:
                yield row.text

    texts = good_texts()
    for verdict in classify(texts):
        while waiting and waiting[0].text is None:
            yield waiting.popleft(), None
        if not waiting:
            raise RuntimeError("classifier gave a verdict for a text it had not read")
        yield waiting.popleft(), verdict
    # A classifier that stopped early left texts unread, or read but unanswered.
    if next(texts, None) is not None or any(row.text is not None for row in waiting):
        raise RuntimeError("classifier gave fewer verdicts than it was given texts")
    while waiting:
        yield waiting.popleft(), None


def result_record(row: TextRow, verdict: Verdict | None) -> dict:
    """The JSON object written for one input row."""
    if verdict is None:
        return {"id": row.id, "error": row_problem(row), "line": row.line}
    return {"id": row.id, **verdict.to_dict()}


def row_problem(row: TextRow) -> str:
    """What is wrong with an unreadable row, starting with its line: "line 3: ..."."""
    return f"line {row.line}: {row.error.message}"


def write_results(results: Iterable[tuple[TextRow, Verdict | None]], path: str) -> int:
    """Write one JSON object per row to ``path`` (``-`` for stdout), in order; return how many."""
    with _open_results(path) as out:
        count = 0
        for row, verdict in results:
            out.write(json.dumps(result_record(row, verdict), ensure_ascii=False) + "\n")
            count += 1
    return count


@contextmanager
def _open_results(path: str) -> Iterator[TextIO]:
    # backslashreplace: a lone surrogate cannot be encoded as UTF-8. The ingest readers replace
    # those they decode (JSON may escape one as \ud800), but if one ever reaches a verdict,
    # written back as \ud800 it stays valid JSON instead of crashing the scan.
    if path == STDOUT:
        sys.stdout.flush()
        out = io.TextIOWrapper(
            sys.stdout.buffer, encoding="utf-8", errors="backslashreplace", newline="\n"
        )
        try:
            yield out
        finally:
            out.flush()
            out.detach()  # leaves sys.stdout open and usable
        return
    try:
        out = open(path, "w", encoding="utf-8", errors="backslashreplace", newline="\n")
    except OSError as exc:
        raise UnwritableOutput(f"{path}: cannot write: {exc.strerror}") from None
    with out:
        yield out
