"""Line-based generic files: JSON Lines (one object per line) and plain text (one post per
line). Blank lines are skipped but counted, so every record keeps the line it is on, and
records are numbered from 1 in input order. A file of blank lines only is refused as empty.
A line over the size limit is a bad record (``OverlongLine``), and reading goes on."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import chain
from typing import Any

from ..convert import RawItem
from ..errors import InvalidRecord, empty_file
from ..fields import as_object
from ..inputs import Limits, OverlongLine, TextStream
from ..jsonstream import decode_record


def non_blank_lines(stream: TextStream, limits: Limits) -> Iterator[RawItem]:
    """(record number, line number, the line with its line ending or an ``OverlongLine``)
    for each non-blank line.

    Reads up to the first non-blank line at once: a file without one is refused here
    (``IngestError``), before any line is handed out."""
    lines = stream.lines(limits.max_record_chars)
    non_blank = ((line, text) for line, text in lines
                 if isinstance(text, OverlongLine) or text.strip())
    first = next(non_blank, None)
    if first is None:
        raise empty_file(stream.source)
    numbered = enumerate(chain([first], non_blank), 1)
    return ((number, line, text) for number, (line, text) in numbered)


def jsonl_object(text: str | OverlongLine) -> Mapping[str, Any]:
    """One line of JSON Lines as its object; anything else is a bad record."""
    return as_object(decode_record(readable(text)), "line")


def readable(text: str | OverlongLine) -> str:
    """The line, or for an overlong one the bad record it is."""
    if isinstance(text, OverlongLine):
        raise InvalidRecord(text.problem)
    return text


def txt_posts(stream: TextStream, limits: Limits) -> Iterator[RawItem]:
    """(record number, line number, post) for each non-blank line of a plain-text file:
    the post is the whole line without its line ending (LF or CRLF). Like
    ``non_blank_lines``, refuses a file without one at once."""
    return (
        (number, line, text if isinstance(text, OverlongLine)
         else text.removesuffix("\n").removesuffix("\r"))
        for number, line, text in non_blank_lines(stream, limits)
    )
