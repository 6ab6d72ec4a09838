"""Trope × stance: the claim a post discusses (``claims.py``) and its stance towards it
(``stance.py``), and the rule that turns them into a flag.

A post is flagged by this path when it comes close to a claim of the taxonomy and the stance
model reads it as endorsing that claim. Posts the cascade already finds plainly harmless are
left to it (``ClaimRule.base_floor``), and posts the relevance gate cleared (they name no
group) need a closer match and a surer endorsement. Every threshold is fitted by
``tropewatch train`` on dev (leave-one-writer-out on the written posts, out of fold on
ISCA's) and stored in the bundle's meta.json.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from .claims import ClaimBank, ClaimMatch, closest_claims
from .stance import StanceModel, stance_features


@dataclass(frozen=True, slots=True)
class ClaimReading:
    """What the two stages read in one post."""

    match: ClaimMatch
    stance: str  # the most probable stance
    endorse: float  # P(endorse)


@dataclass(frozen=True)
class ClaimRule:
    similarity: float  # the claim sentence is at least this close to its claim
    endorse: float  # and the stance model gives P(endorse) at least this
    base_floor: float  # and, past the relevance gate, the cascade scores it at least this
    cleared_similarity: float  # posts the relevance gate cleared: closer still
    cleared_endorse: float  # and surer

    def asserts(self, reading: ClaimReading | None, relevant: bool, base_score: float) -> bool:
        if reading is None:
            return False
        if relevant:
            return (reading.match.similarity >= self.similarity
                    and reading.endorse >= self.endorse and base_score >= self.base_floor)
        return (reading.match.similarity >= max(self.similarity, self.cleared_similarity)
                and reading.endorse >= max(self.endorse, self.cleared_endorse))

    def discusses(self, reading: ClaimReading | None) -> bool:
        """Close enough to a claim to name it in the explanation, whatever the stance."""
        return reading is not None and reading.match.similarity >= self.similarity

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping) -> ClaimRule:
        return cls(**{name: float(data[name]) for name in cls.__dataclass_fields__})


def claim_inputs(texts: Sequence[str], cues: Sequence[Mapping[str, float]],
                 stages: Sequence[Mapping[str, float]], encoder, bank: ClaimBank
                 ) -> list[tuple[ClaimMatch, np.ndarray] | None]:
    """For each post (as posted; spans index it): its closest claim and the stance model's
    inputs, or None for a post without a sentence."""
    out: list[tuple[ClaimMatch, np.ndarray] | None] = []
    for found, post_cues, post_stages in zip(closest_claims(texts, encoder, bank), cues,
                                             stages, strict=True):
        if found is None:
            out.append(None)
            continue
        match, sentences, spans = found
        sentence = spans.index((match.start, match.end))
        out.append((match, stance_features(sentences, sentence, match.similarity, post_cues,
                                           post_stages)))
    return out


def read_claims(inputs: Sequence[tuple[ClaimMatch, np.ndarray] | None],
                stance: StanceModel) -> list[ClaimReading | None]:
    """Each post's claim with the stance the model reads in it."""
    present = [i for i, item in enumerate(inputs) if item is not None]
    readings: list[ClaimReading | None] = [None] * len(inputs)
    if not present:
        return readings
    probabilities = stance.probabilities(np.array([inputs[i][1] for i in present]))
    endorse = stance.classes.index("endorse")
    for i, row in zip(present, probabilities, strict=True):
        readings[i] = ClaimReading(inputs[i][0], stance.classes[int(np.argmax(row))],
                                   float(row[endorse]))
    return readings


def with_claims(score: float, reading: ClaimReading | None, relevant: bool,
                rule: ClaimRule) -> float:
    """The post's score once the claim path has spoken: at least P(endorse) where it
    asserts a claim."""
    if rule.asserts(reading, relevant, score):
        return max(score, reading.endorse)
    return score
