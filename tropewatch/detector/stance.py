"""Stance, for precision: does a post *endorse* the claim it discusses, or reject it, quote it
to report it, report on it as news, or touch the topic without the claim?

A post is antisemitic when it discusses a trope and endorses it; call-outs, refutations,
news and quotes discuss the same tropes with another stance. The model is one multinomial
logistic regression trained across all tropes together, on posts written as minimal sets
(each assertion beside posts on the same topic, with mostly the same words, that reject,
quote or report it; ``data/written/train``), so that it learns the stance and not the topic.
Its inputs: the post's and its claim sentence's embeddings, how close the sentence is to
its claim, the counter-speech cues and the cheap stages' outputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

STANCES = ("endorse", "reject", "quote", "report", "neutral")
# The written posts' kinds (data/written/train/*.csv) as stances.
KIND_STANCE = {"assertion": "endorse", "refutation": "reject", "quote_report": "quote",
               "news": "report", "adjacent": "neutral"}
STAGE_FEATURES = ("ngram_logit", "lexicon_explicit", "lexicon_explicit_quoted",
                  "lexicon_contextual", "slurs_beside_jews")


def post_embedding(sentence_embeddings: np.ndarray) -> np.ndarray:
    """The post as the unit-length mean of its sentences' embeddings."""
    mean = sentence_embeddings.mean(axis=0)
    return mean / (np.linalg.norm(mean) or 1.0)


def stance_features(sentence_embeddings: np.ndarray, claim_sentence: int, similarity: float,
                    cues: Mapping[str, float], stages: Mapping[str, float]) -> np.ndarray:
    """One post's inputs to the stance model, in a fixed order."""
    return np.concatenate([
        post_embedding(sentence_embeddings),
        sentence_embeddings[claim_sentence],
        [similarity],
        [cues[name] for name in sorted(cues)],
        [stages.get(name, 0.0) for name in STAGE_FEATURES],
    ]).astype(np.float64)


@dataclass(frozen=True)
class StanceModel:
    classes: tuple[str, ...]
    coef: np.ndarray  # one row per class
    intercept: np.ndarray

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """P(stance) per row of ``features``, columns in ``classes`` order."""
        logits = np.atleast_2d(features) @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def endorse(self, features: np.ndarray) -> np.ndarray:
        return self.probabilities(features)[:, self.classes.index("endorse")]

    def save(self, path: Path) -> None:
        np.savez(path, classes=np.array(self.classes), coef=self.coef,
                 intercept=self.intercept)

    @classmethod
    def load(cls, path: Path) -> StanceModel:
        with np.load(path) as data:
            return cls(tuple(str(c) for c in data["classes"]), data["coef"], data["intercept"])
