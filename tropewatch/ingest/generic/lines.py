"""Line-based generic files: JSON Lines (one object per line) and plain text (one post per
line). Blank lines are skipped but counted, so every record keeps the line it is on, and
records are numbered from 1 in input order."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..convert import RawItem
from ..fields import as_object
from ..inputs import Limits, TextStream
from ..jsonstream import decode_record


def non_blank_lines(stream: TextStream, limits: Limits) -> Iterator[RawItem]:
    """(record number, line number, the line with its line ending) for each non-blank line."""
    lines = stream.lines(limits.max_record_chars)
    non_blank = ((line, text) for line, text in lines if text.strip())
    return ((number, line, text) for number, (line, text) in enumerate(non_blank, 1))


def jsonl_object(text: str) -> Mapping[str, Any]:
    """One line of JSON Lines as its object; anything else is a bad record."""
    return as_object(decode_record(text), "line")


def txt_posts(stream: TextStream, limits: Limits) -> Iterator[RawItem]:
    """(record number, line number, post) for each non-blank line of a plain-text file:
    the post is the whole line without its line ending (LF or CRLF)."""
    for number, line, text in non_blank_lines(stream, limits):
        yield number, line, text.removesuffix("\n").removesuffix("\r")
