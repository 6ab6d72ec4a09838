"""The last stage: one calibrated probability from every signal the detector has.

A small logistic regression over the stage outputs, fitted on the dev split (not
the data the stages were trained on, whose scores are over-confident). Its few
weights are stored in the model's meta.json and are readable by a person: how much
the n-gram model, the transformer, the lexicon and counter-speech cues each count.

A counter-speech cue may only count in the direction its group means
(``cue_directions``): a post naming a claim a myth or condemning it is never made more
suspect by that, however the few hundred antisemitic dev posts happen to fall. Fitted
freely on ISCA's dev tweets, "debunking" cues ("the myth that", "conspiracy theory")
had come to *raise* the score, which pushes up exactly the refutations the detector
must leave alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .counter_speech import CueSet

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


def cue_directions(cues: CueSet) -> dict[str, int]:
    """The sign each cue's combiner weight may take: -1 (may only lower the score) for a
    group of counter-speech evidence (positive weight in counter_speech.yaml), +1 (may
    only raise it) for one that signals endorsement (dismissal, conspiracy framing)."""
    return {f"cue_{group.name}": -1 if group.weight > 0 else 1
            for group in cues.groups if group.weight != 0}


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
            sample_weight: np.ndarray, directions: Mapping[str, int] | None = None
            ) -> Combiner:
        """L2-regularised logistic regression (scikit-learn's objective at C=1, intercept
        not penalised) with each weight named in ``directions`` kept to its sign."""
        from scipy.optimize import minimize

        names = tuple(sorted({name for row in rows for name in row}))
        x = cls(names, np.zeros(len(names)), 0.0).matrix(rows)
        y = np.asarray(labels, dtype=np.float64)
        sw = np.asarray(sample_weight, dtype=np.float64)
        directions = directions or {}

        def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
            w, b = params[:-1], params[-1]
            z = x @ w + b
            # log(1 + e^z) - y z, and its gradient sigmoid(z) - y, without overflow
            value = sw @ (np.logaddexp(0.0, z) - y * z) + 0.5 * w @ w
            residual = sw * (0.5 * (1.0 + np.tanh(0.5 * z)) - y)
            return value, np.append(x.T @ residual + w, residual.sum())

        bounds = [(0.0, None) if directions.get(name) == 1
                  else (None, 0.0) if directions.get(name) == -1 else (None, None)
                  for name in names] + [(None, None)]
        result = minimize(loss, np.zeros(len(names) + 1), jac=True, method="L-BFGS-B",
                          bounds=bounds, options={"maxiter": 5000, "gtol": 1e-8})
        return cls(names, result.x[:-1], float(result.x[-1]))

    def to_json(self) -> dict:
        return {"weights": dict(zip(self.names, self.weights.round(6).tolist(), strict=True)),
                "intercept": round(self.intercept, 6)}

    @classmethod
    def from_json(cls, data: Mapping) -> Combiner:
        names = tuple(data["weights"])
        return cls(names, np.array([data["weights"][n] for n in names]), float(data["intercept"]))
