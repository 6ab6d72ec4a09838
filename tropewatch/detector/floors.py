"""Explicit trope terms as a floor under the score.

The combiner learns from ISCA tweets, which were sampled by four keywords: coded terms
such as "ZOG", "holohoax" or "happy merchant" barely occur in them, so it cannot learn
that they matter. An explicit lexicon entry that matches outside quotation marks, in a
post with no sign of calling antisemitism out, therefore puts a floor under the score:
how often posts with that term, used that way, were antisemitic in the training data,
smoothed towards a prior. Where the data says a term is mostly quoted or discussed
(``kill jews`` in news tweets), its floor falls below the threshold and stops mattering.

Terms the training data holds plenty of (``zionazi``, ``kike``) get no floor: there the
combiner has learnt from the same examples, with more context than one term, and a
floor would only overrule it (measured: it cost ISCA test F1 0.02 through the slur).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from .lexicon import Match
from .repair import repair

PRIOR = 0.8  # share antisemitic assumed for an explicit term used without framing
PSEUDO_COUNT = 3  # how many observations the prior is worth
ENOUGH_EVIDENCE = 10  # weighted uncontested uses in training after which the combiner decides
COUNTER_SPEECH_LIMIT = 0.5  # at or above this, the post reads as a call-out: no floor

_OPENING_QUOTES = "\"“«„"
_CLOSING_QUOTES = "\"”»“"


def inside_quotes(text: str, start: int, end: int, reach: int = 200) -> bool:
    """Whether text[start:end] sits between double quotation marks on the same stretch
    of text (single quotes are left out: they double as apostrophes). Both sides are
    repaired first: exported text often carries its quotation marks as "&quot;" or as
    mojibake ("â€œ")."""
    before = repair(text[max(0, start - reach):start])
    opened = max(before.rfind(q) for q in _OPENING_QUOTES)
    if opened < 0 or (before.count('"') % 2 == 0 and "“" not in before[opened:] and
                      "«" not in before[opened:] and "„" not in before[opened:]):
        return False
    after = repair(text[end:end + reach])
    return any(q in after for q in _CLOSING_QUOTES)


def quoted_flags(original: str, matches: Iterable[Match]) -> list[bool]:
    """For each match, whether it sits inside quotation marks in the original post."""
    return [inside_quotes(original, m.start, m.end) for m in matches]


def uncontested_entries(matches: Sequence[Match], is_quoted: Sequence[bool],
                        counter_speech: float) -> frozenset[str]:
    """Ids of explicit entries used in earnest: not quoted (``is_quoted``, one flag per
    match, from ``quoted_flags``), not in a call-out."""
    if counter_speech >= COUNTER_SPEECH_LIMIT:
        return frozenset()
    return frozenset(m.entry.id for m, in_quotes in zip(matches, is_quoted, strict=True)
                     if m.entry.strength == "explicit" and not in_quotes)


def estimate_floors(entry_ids: Iterable[str],
                    observations: Iterable[tuple[frozenset[str], int, float]]
                    ) -> dict[str, float]:
    """Smoothed share of antisemitic posts among those using each entry uncontested. Each
    post counts with its training weight: the models learn little from a term seen only in
    down-weighted HateXplain posts ("heeb"), so those uses count less as evidence too."""
    seen: Counter[str] = Counter()
    positive: Counter[str] = Counter()
    for ids, label, weight in observations:
        for entry_id in ids:
            seen[entry_id] += weight
            positive[entry_id] += weight * label
    return {e: round((positive[e] + PRIOR * PSEUDO_COUNT) / (seen[e] + PSEUDO_COUNT), 4)
            for e in sorted(entry_ids) if seen[e] < ENOUGH_EVIDENCE}


def apply_floor(score: float, uncontested: Iterable[str], floors: Mapping[str, float]) -> float:
    return max([score, *(floors.get(entry_id, 0.0) for entry_id in uncontested)])
