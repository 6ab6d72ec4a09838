"""An organisation's own head on top of the shipped model, fitted from its moderators' decisions.

The shipped model learned from tweets of 2019–2023 labelled by ISCA's annotators. An
organisation's moderators label this month's posts from its own spaces, by the definition it
enforces. The head is a small logistic regression over what a shipped verdict already says
(its score, its counter-speech reading, the claim it endorses and the categories it names),
with its own threshold: it recalibrates the shipped model to the organisation, and it can
learn, for example, that its moderators dismiss most "Israel lobby" posts the shipped model
flags. It never sees the text again, so it cannot learn a topic the shipped model did not.

Posts the relevance gate clears are not read by the shipped model and keep their verdict: a
head cannot find what the stages below it never looked at.

Fitting is in ``training/adapt.py``; this module only applies a fitted head (numpy alone).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .explain import explanation
from .policy import GENERAL_CATEGORY, decide
from .taxonomy import Taxonomy, load_taxonomy
from .verdict import CategoryScore, Verdict

# A score of exactly 0 or 1 would give an infinite logit.
_SCORE_CLIP = 1e-4


def head_feature_names(taxonomy: Taxonomy) -> list[str]:
    return ["score_logit", "counter_speech", "claim_endorse",
            *(f"category:{c}" for c in taxonomy.ids)]


def head_features(score: float, counter_speech: float, claim_endorse: float,
                  category_ids: Sequence[str], taxonomy: Taxonomy) -> np.ndarray:
    """One row of the head's inputs: training builds it from the temporal check's stages,
    ``OrgHead.apply`` from a verdict, so both go through here."""
    clipped = min(max(score, _SCORE_CLIP), 1 - _SCORE_CLIP)
    present = set(category_ids)
    return np.array([math.log(clipped / (1 - clipped)), counter_speech, claim_endorse,
                     *(1.0 if c in present else 0.0 for c in taxonomy.ids)])


def verdict_features(verdict: Verdict, taxonomy: Taxonomy) -> np.ndarray:
    endorse = verdict.claim.endorse if verdict.claim is not None else 0.0
    return head_features(verdict.score, verdict.counter_speech, endorse,
                         [c.id for c in verdict.categories], taxonomy)


def read_by_model(verdict: Verdict) -> bool:
    """Whether the shipped model read the post: it names a category, a span or a claim.
    Posts cleared by the relevance gate have none of these, and the head leaves them alone."""
    return bool(verdict.categories or verdict.spans or verdict.claim)


@dataclass(frozen=True)
class OrgHead:
    """A fitted head: weights over ``head_feature_names``, and the threshold it decides at."""

    version: str  # recorded on every verdict it gives, e.g. 2026.11.6+labour-north.3
    base_version: str  # the shipped model it sits on
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    taxonomy_version: str

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(rows @ np.asarray(self.coef) + self.intercept)))

    def apply(self, verdict: Verdict, taxonomy: Taxonomy | None = None) -> Verdict:
        """The verdict as the organisation's head gives it: a new score and decision, the
        categories' scores moved with it, the explanation written again."""
        taxonomy = taxonomy or load_taxonomy()
        if verdict.model_version != self.base_version:
            raise ValueError(f"this head sits on model {self.base_version}, not on "
                             f"{verdict.model_version}: adapt again after a model update")
        if not read_by_model(verdict):
            return replace(verdict, model_version=self.version)
        score = float(self.probabilities(verdict_features(verdict, taxonomy)[None, :])[0])
        categories = _rescaled(verdict.categories, verdict.score, score, self.threshold,
                               taxonomy)
        counted = taxonomy.counts_under(verdict.policy)
        flagged = decide(score, self.threshold, (c.id for c in categories), counted)
        return replace(
            verdict, antisemitic=flagged, score=round(score, 4), categories=categories,
            model_version=self.version,
            explanation=explanation(flagged, score >= self.threshold, score, categories,
                                    verdict.spans, verdict.counter_speech, verdict.policy,
                                    verdict.claim, taxonomy))

    def to_json(self) -> dict:
        return {"version": self.version, "base_version": self.base_version,
                "coef": list(self.coef), "intercept": self.intercept,
                "threshold": self.threshold, "taxonomy_version": self.taxonomy_version}

    @classmethod
    def from_json(cls, data: Mapping) -> OrgHead:
        head = cls(data["version"], data["base_version"], tuple(data["coef"]),
                   data["intercept"], data["threshold"], data["taxonomy_version"])
        taxonomy = load_taxonomy()
        if head.taxonomy_version != taxonomy.version:
            raise ValueError(f"head {head.version} was fitted with taxonomy "
                             f"{head.taxonomy_version}, not {taxonomy.version}: adapt again")
        return head


def _rescaled(categories: Sequence[CategoryScore], old: float, new: float, threshold: float,
              taxonomy: Taxonomy) -> list[CategoryScore]:
    """Category scores move in proportion to the post's score. A post the head puts over its
    threshold always names a category, as the pipeline's do (the general one at least); the
    general category alone goes when the head puts the post under."""
    ratio = new / old if old > 0 else 0.0
    out = [replace(c, score=round(min(c.score * ratio, 1.0), 4)) for c in categories
           if c.id != GENERAL_CATEGORY]
    if not out and new >= threshold:
        general = taxonomy.category(GENERAL_CATEGORY)
        out = [CategoryScore(GENERAL_CATEGORY, general.name, round(new, 4),
                             general.ihra_example)]
    return out
