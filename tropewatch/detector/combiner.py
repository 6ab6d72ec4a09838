"""The last stage: one calibrated probability from every signal the detector has.

A small logistic regression over the stage outputs, fitted on the dev split (not
the data the stages were trained on, whose scores are over-confident). Its few
weights are stored in the model's meta.json and are readable by a person: how much
the n-gram model, the transformer, the lexicon and counter-speech cues each count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

LOGIT_CLIP = 8.0  # keeps one over-confident stage from drowning out the others
TRANSFORMER_FEATURE = "transformer_logit"


def stage_features(
    ngram_logit: float,
    explicit_hits: int,
    explicit_quoted: int,
    contextual_hits: int,
    cues: Mapping[str, float],
    counter_speech: float,
    slurs_beside_jews: int,
) -> dict[str, float]:
    """The combiner's inputs for one post from the cheap stages, by name (the order is
    fixed by the model); ``transformer_feature`` adds the transformer's."""
    explicit = float(min(explicit_hits, 2))
    features = {
        "ngram_logit": float(np.clip(ngram_logit, -LOGIT_CLIP, LOGIT_CLIP)),
        "lexicon_explicit": explicit,
        # An explicit trope term in a post with no sign of calling it out is the
        # strongest lexicon evidence; the same term quoted in a report is not.
        "lexicon_explicit_uncontested": explicit * (1.0 - counter_speech),
        # Slurs inside quotation marks are mostly reported speech ("he called us ...").
        "lexicon_explicit_quoted": float(min(explicit_quoted, 2)),
        "lexicon_contextual": float(min(contextual_hits, 2)),
        "slurs_beside_jews": float(slurs_beside_jews),  # see hostility.py
    }
    for name, value in cues.items():
        features[f"cue_{name}"] = float(min(value, 3.0))
    return features


def transformer_feature(transformer_logit: float) -> dict[str, float]:
    return {TRANSFORMER_FEATURE: float(np.clip(transformer_logit, -LOGIT_CLIP, LOGIT_CLIP))}


@dataclass(frozen=True)
class Combiner:
    names: tuple[str, ...]
    weights: np.ndarray
    intercept: float

    def matrix(self, rows: Sequence[Mapping[str, float]]) -> np.ndarray:
        return np.array([[row.get(name, 0.0) for name in self.names] for row in rows],
                        dtype=np.float64).reshape(len(rows), len(self.names))

    def probabilities(self, rows: Sequence[Mapping[str, float]]) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.matrix(rows) @ self.weights + self.intercept)))

    @classmethod
    def fit(cls, rows: Sequence[Mapping[str, float]], labels: Sequence[int],
            sample_weight: np.ndarray) -> Combiner:
        from sklearn.linear_model import LogisticRegression

        names = tuple(sorted({name for row in rows for name in row}))
        empty = cls(names, np.zeros(len(names)), 0.0)
        model = LogisticRegression(C=1.0, max_iter=2000)
        model.fit(empty.matrix(rows), labels, sample_weight=sample_weight)
        return cls(names, model.coef_[0], float(model.intercept_[0]))

    def to_json(self) -> dict:
        return {"weights": dict(zip(self.names, self.weights.round(6).tolist(), strict=True)),
                "intercept": round(self.intercept, 6)}

    @classmethod
    def from_json(cls, data: Mapping) -> Combiner:
        names = tuple(data["weights"])
        return cls(names, np.array([data["weights"][n] for n in names]), float(data["intercept"]))
