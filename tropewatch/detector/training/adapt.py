"""Fitting an organisation's head (``adaptation.py``) from its moderators' decisions.

The threshold is chosen on out-of-fold scores of the decisions the head is fitted on, and
the figures the command prints come from a second, outer cross-validation around all of
that, so they are never scored on a decision that chose the threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from ..adaptation import OrgHead, read_by_model, verdict_features
from ..taxonomy import Taxonomy, load_taxonomy
from ..verdict import Verdict

# Below these a head would fit noise: 50 decisions on posts the model read, at least 10
# confirmed and 10 dismissed.
MIN_DECISIONS = 50
MIN_EACH = 10
FOLDS = 5
# Regularisation of the head's logistic regression: the default, kept strong enough that 50
# decisions over 19 inputs do not fit noise.
HEAD_C = 1.0


class TooFewDecisions(ValueError):
    """There are not enough decisions to fit a head; the message says how many are needed."""


@dataclass(frozen=True)
class HeldOut:
    """Precision, recall and F1 of a set of decisions against the moderators' labels."""

    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, predicted: np.ndarray, labels: np.ndarray) -> HeldOut:
        tp = int(np.sum(predicted & (labels == 1)))
        fp = int(np.sum(predicted & (labels == 0)))
        fn = int(np.sum(~predicted & (labels == 1)))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(round(precision, 4), round(recall, 4), round(f1, 4))

    def to_json(self) -> dict:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass(frozen=True)
class Adapted:
    head: OrgHead
    decisions: int  # decisions on posts the model read, which the head was fitted on
    confirmed: int
    dismissed: int
    unread: int  # decisions on posts the relevance gate cleared: the head cannot move them
    shipped: HeldOut  # the shipped model's own decisions on the same posts
    adapted: HeldOut  # the head's, scored out of fold (outer cross-validation)

    def report(self) -> dict:
        return {"decisions": self.decisions, "confirmed": self.confirmed,
                "dismissed": self.dismissed, "unread": self.unread,
                "shipped": self.shipped.to_json(), "adapted_out_of_fold": self.adapted.to_json()}


def fit_head(verdicts: Sequence[Verdict], labels: Sequence[int], version: str, seed: int = 13,
             min_decisions: int = MIN_DECISIONS, min_each: int = MIN_EACH,
             taxonomy: Taxonomy | None = None) -> Adapted:
    """A head fitted on the shipped model's verdicts and the moderators' labels (1: confirmed,
    0: dismissed), or TooFewDecisions."""
    taxonomy = taxonomy or load_taxonomy()
    base_versions = {v.model_version for v in verdicts}
    if len(base_versions) > 1:
        raise ValueError(f"verdicts from several models: {sorted(base_versions)}")
    read = [i for i, v in enumerate(verdicts) if read_by_model(v)]
    y = np.array([labels[i] for i in read], dtype=int)
    confirmed, dismissed = int(y.sum()), int(len(y) - y.sum())
    if len(y) < min_decisions or min(confirmed, dismissed) < min_each:
        raise TooFewDecisions(
            f"{len(y)} decisions on posts the model read ({confirmed} confirmed, {dismissed} "
            f"dismissed); adapting needs at least {min_decisions}, with at least {min_each} "
            "of each")
    x = np.array([verdict_features(verdicts[i], taxonomy) for i in read])
    shipped = np.array([verdicts[i].antisemitic for i in read])
    coef, intercept, threshold = fit_rows(x, y, seed)
    head = OrgHead(version, base_versions.pop(), tuple(float(c) for c in coef),
                   float(intercept), threshold, taxonomy.version)
    return Adapted(head, len(y), confirmed, dismissed, len(verdicts) - len(read),
                   HeldOut.of(shipped, y), HeldOut.of(held_out_decisions(x, y, seed), y))


def fit_rows(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[np.ndarray, float, float]:
    """Weights and intercept fitted on all rows, and the threshold that gives the best F1 on
    their out-of-fold probabilities."""
    folds = min(FOLDS, int(np.bincount(y, minlength=2).min()))
    oof = np.zeros(len(y))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(x, y):
        oof[test] = _model(seed).fit(x[train], y[train]).predict_proba(x[test])[:, 1]
    model = _model(seed).fit(x, y)
    return model.coef_[0], float(model.intercept_[0]), best_f1_threshold(oof, y)


def held_out_decisions(x: np.ndarray, y: np.ndarray, seed: int) -> np.ndarray:
    """Each row's decision by a head fitted, threshold included, without it."""
    out = np.zeros(len(y), dtype=bool)
    for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=seed).split(x, y):
        out[test] = decisions(x[train], y[train], x[test], seed)
    return out


def decisions(x_fit: np.ndarray, y_fit: np.ndarray, x: np.ndarray, seed: int) -> np.ndarray:
    coef, intercept, threshold = fit_rows(x_fit, y_fit, seed)
    return 1.0 / (1.0 + np.exp(-(x @ coef + intercept))) >= threshold


def best_f1_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    """The threshold on a 0.01 grid with the best F1; of equally good ones, the middle one, so
    that one decision more or less does not swing it to an edge."""
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    f1 = np.array([HeldOut.of(scores >= t, labels).f1 for t in grid])
    best = np.flatnonzero(f1 == f1.max())
    return float(grid[best[len(best) // 2]])


def _model(seed: int) -> LogisticRegression:
    return LogisticRegression(C=HEAD_C, max_iter=1000, random_state=seed)
