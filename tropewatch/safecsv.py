"""CSV that a spreadsheet cannot run: the one writer for every CSV file tropewatch writes.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or with a tab or
carriage return before one) as a formula: a post or a note that reads
``=HYPERLINK("http://…")`` would become a live link, or worse (CSV injection). Such a cell is
written with a leading ``'``, which spreadsheets show as text. A cell that already starts with
``'`` before one of those characters gets one more ``'``, so that ``unescape_cell`` gives back
exactly the text that was written and tropewatch's own loaders read the original posts.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def escape_cell(value: object) -> str:
    """``value`` as text a spreadsheet shows rather than runs; None is empty, as in ``csv``."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.lstrip("'").startswith(FORMULA_STARTS) else text


def unescape_cell(text: str) -> str:
    """The text ``escape_cell`` was given; text it would not have changed is left as it is."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text


class SafeWriter:
    """``csv.writer`` that escapes every cell; ``writerow`` returns what ``out.write`` did."""

    def __init__(self, out: _Writable) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([escape_cell(value) for value in row])
