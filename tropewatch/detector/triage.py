"""The cascade's second stage: which relevant posts need the transformer at all.

The transformer is the detector's costliest stage by far (see ``transformer.py``). Many
posts that do touch Jews or Israel are plainly fine on the cheap evidence alone: the
n-gram model, the lexicon and the counter-speech cues. A second combiner, fitted on
the same dev rows without the transformer's feature, scores every relevant post; a
post it scores below ``skip_below`` keeps that score and never reaches the transformer.

``skip_below`` is chosen on dev out-of-fold scores, as the highest cut that drops at
most ``MAX_LOST_SHARE`` of the flags the full pipeline raises there; how many posts it
skipped and how many flags it lost are recorded in the model's meta.json.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from .combiner import TRANSFORMER_FEATURE, Combiner

# Of the full pipeline's dev flags. 1% until model 2026.12.3, whose dev threshold (0.28) put
# many flags where the cheap score is low: 1% then let the transformer skip 630 of 1,914
# relevant dev posts (920 of 1,892 before) and scans ran 0.62-0.73 as fast. At 3% it skips
# 857, and dev F1 (out of fold) is 0.655 against 0.659.
MAX_LOST_SHARE = 0.03
CANDIDATE_CUTS = np.round(np.arange(0.005, 0.301, 0.005), 3)


def without_transformer(row: Mapping[str, float]) -> dict[str, float]:
    return {name: value for name, value in row.items() if name != TRANSFORMER_FEATURE}


def needs_transformer(cheap: np.ndarray, skip_below: float) -> np.ndarray:
    return cheap >= skip_below


def cascade(cheap: np.ndarray, full: np.ndarray, skip_below: float) -> np.ndarray:
    """The score each post ends up with: the cheap one where it was below the cut."""
    return np.where(needs_transformer(cheap, skip_below), full, cheap)


@dataclass(frozen=True)
class TransformerGate:
    combiner: Combiner  # the same kind of combiner, without the transformer's feature
    skip_below: float

    def cheap_scores(self, rows: list[Mapping[str, float]]) -> np.ndarray:
        return self.combiner.probabilities(rows)

    def to_json(self) -> dict:
        return {"combiner": self.combiner.to_json(), "skip_below": self.skip_below}

    @classmethod
    def from_json(cls, data: Mapping) -> TransformerGate:
        return cls(Combiner.from_json(data["combiner"]), float(data["skip_below"]))


def choose_skip_below(cheap: np.ndarray, full: np.ndarray, flagged: Callable[[np.ndarray],
                      np.ndarray]) -> float:
    """The highest candidate cut that loses at most MAX_LOST_SHARE of the full
    pipeline's flags; ``flagged`` turns scores into the shipped yes/no (floors and
    threshold included)."""
    full_flags = flagged(full)
    allowed = MAX_LOST_SHARE * full_flags.sum()
    best = 0.0
    for cut in CANDIDATE_CUTS:
        lost = np.sum(full_flags & ~flagged(cascade(cheap, full, cut)))
        if lost > allowed:
            break
        best = float(cut)
    return best
