"""Moderators' decisions as training data: confirmed posts are labelled 1, dismissed ones 0.

The columns are those of the ISCA gold-standard file that ``tropewatch train`` and
``tropewatch eval`` read (Text, Biased, Keyword, CreateDate); Keyword, the group results are
broken down by, is the source a post came from. Cells a spreadsheet would run as formulas
are escaped (``tropewatch.safecsv``); the loaders undo it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from tropewatch.orgs.models import Organisation
from tropewatch.safecsv import SafeWriter

from .models import ReviewState
from .status import Status

HEADER = ["Text", "Biased", "Keyword", "CreateDate"]
_LABELS = {Status.CONFIRMED.value: 1, Status.DISMISSED.value: 0}


@dataclass(slots=True)
class LabelCounts:
    confirmed: int = 0
    dismissed: int = 0


def labelled_rows(org: Organisation | None = None) -> Iterator[tuple[str, int, str, str]]:
    states = ReviewState.objects.filter(status__in=list(_LABELS))
    if org is not None:
        states = states.filter(org=org)
    rows = states.order_by("post_id").values_list(
        "post__text", "status", "post__source__name", "post__created_at"
    )
    for text, status, source, created_at in rows.iterator(chunk_size=2000):
        yield text, _LABELS[status], source, created_at.date().isoformat()


def write_labels(out: TextIO, org: Organisation | None = None) -> LabelCounts:
    counts = LabelCounts()
    writer = SafeWriter(out)
    writer.writerow(HEADER)
    for row in labelled_rows(org):
        writer.writerow(row)
        if row[1]:
            counts.confirmed += 1
        else:
            counts.dismissed += 1
    return counts
