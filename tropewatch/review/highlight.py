"""Post text cut into segments for display: detected spans marked, invisible controls shown.

The template escapes each segment on its own; no markup is ever built from post text here.
Bidi and zero-width controls become visible markers instead of characters, so a post cannot
reorder the page around it or hide letters from the moderator.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Bidi embeddings, overrides, isolates and marks; zero-width characters; the BOM.
_CONTROLS = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2066\u2067\u2068\u2069\ufeff"
)


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    categories: tuple[str, ...] = ()  # taxonomy ids of the spans covering this text
    # For an invisible control character (text is then empty): its code point and name.
    control: str = ""  # "U+202E"
    control_name: str = ""  # "RIGHT-TO-LEFT OVERRIDE"

    @property
    def marked(self) -> bool:
        return bool(self.categories)


def segments(text: str, spans: Iterable[Mapping[str, Any]]) -> list[Segment]:
    """``text`` as segments, split wherever a span starts or ends. Spans are the detection's
    (dicts with start, end, category); ones outside the text are ignored, overlaps merge."""
    valid = [
        (span["start"], span["end"], str(span.get("category", "")))
        for span in spans
        if isinstance(span.get("start"), int) and isinstance(span.get("end"), int)
        and 0 <= span["start"] < span["end"] <= len(text)
    ]
    cuts = sorted({0, len(text), *(s for s, _, _ in valid), *(e for _, e, _ in valid)})
    out: list[Segment] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = tuple(sorted({cat for s, e, cat in valid if s <= start and end <= e}))
        out.extend(_reveal_controls(text[start:end], covering))
    return out


def _reveal_controls(piece: str, categories: tuple[str, ...]) -> list[Segment]:
    out: list[Segment] = []
    plain_start = 0
    for index, char in enumerate(piece):
        if char in _CONTROLS:
            if index > plain_start:
                out.append(Segment(piece[plain_start:index], categories))
            name = unicodedata.name(char, "CONTROL")
            out.append(Segment("", categories, f"U+{ord(char):04X}", name))
            plain_start = index + 1
    if plain_start < len(piece):
        out.append(Segment(piece[plain_start:], categories))
    return out
