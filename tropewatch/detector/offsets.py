"""Compact per-character offset maps, for normalisation and repair.

Each character of a normalised text remembers where its source starts and ends in the
original post. Held as tuples or lists of ints, those maps cost about 72 bytes per character
each (an 8-byte pointer and a 28-byte int object per entry, twice), so a 13 MB post took
gigabytes. An ``array`` stores each offset in 4 bytes and still reads like a sequence.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

# Unsigned 32-bit: offsets of texts up to 4 G characters, far beyond what the detector reads
# (pipeline.MAX_TEXT_CHARS). A longer text fails loudly (OverflowError), never wraps.
OFFSET_TYPECODE = "I"

Offsets = array  # array[int] of OFFSET_TYPECODE


def offsets(values: Iterable[int] = ()) -> Offsets:
    """A new offset map holding ``values``."""
    return array(OFFSET_TYPECODE, values)
