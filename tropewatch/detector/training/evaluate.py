"""Precision, recall and F1 of the detector on labelled data, overall and per group."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .dataset import Example, deduplicate, read_labelled_csv

# A few hundred antisemitic posts make a held-out F1 uncertain by several points, more
# than most changes a model goes through; the interval says how far to trust one figure.
INTERVAL_LEVEL = 0.95
BOOTSTRAP_RESAMPLES = 2000


@dataclass(frozen=True)
class Metrics:
    tp: int
    fp: int
    fn: int
    tn: int
    f1_interval: tuple[float, float] | None = None  # bootstrap, see f1_interval

    @classmethod
    def count(cls, labels: Iterable[int], predicted: Iterable[bool]) -> Metrics:
        cells = {(1, True): 0, (0, True): 0, (1, False): 0, (0, False): 0}
        for label, guess in zip(labels, predicted, strict=True):
            cells[(int(label), bool(guess))] += 1
        return cls(cells[(1, True)], cells[(0, True)], cells[(1, False)], cells[(0, False)])

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def flagged_rate(self) -> float:
        return (self.tp + self.fp) / self.n if self.n else 0.0

    def to_json(self) -> dict:
        interval = ({"f1_interval": [round(bound, 4) for bound in self.f1_interval]}
                    if self.f1_interval else {})
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), **interval, "flagged_rate": round(self.flagged_rate, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn, "n": self.n}


def f1_interval(labels: Sequence[int], predicted: Sequence[bool], seed: int = 0,
                resamples: int = BOOTSTRAP_RESAMPLES, level: float = INTERVAL_LEVEL
                ) -> tuple[float, float]:
    """Percentile bootstrap interval of F1: the posts are drawn again with replacement
    ``resamples`` times (seeded, so a report is reproducible), F1 computed on each draw."""
    labels_array = np.asarray(labels, dtype=bool)
    guesses = np.asarray(predicted, dtype=bool)
    if not len(labels_array):
        return (0.0, 0.0)
    counts = np.random.default_rng(seed).multinomial(
        len(labels_array), np.full(len(labels_array), 1 / len(labels_array)), size=resamples)
    tp = counts @ (labels_array & guesses)
    wrong = counts @ (labels_array != guesses)  # fp + fn
    f1 = np.divide(2 * tp, 2 * tp + wrong, out=np.zeros(resamples), where=2 * tp + wrong > 0)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(f1, [tail, 100 - tail])
    return (float(low), float(high))


def format_interval(interval: Sequence[float]) -> str:
    """"0.53–0.64": how reports print an F1 interval."""
    low, high = interval
    return f"{low:.2f}–{high:.2f}"


def counted_with_interval(labels: Sequence[int], predicted: Sequence[bool]) -> Metrics:
    return replace(Metrics.count(labels, predicted), f1_interval=f1_interval(labels, predicted))


@dataclass(frozen=True)
class ReliabilityBin:
    low: float
    high: float
    n: int
    mean_score: float
    positive_rate: float


@dataclass
class EvalReport:
    overall: Metrics
    groups: dict[str, Metrics] = field(default_factory=dict)
    reliability: list[ReliabilityBin] = field(default_factory=list)
    note: str = ""

    def to_json(self) -> dict:
        return {"overall": self.overall.to_json(),
                "groups": {g: m.to_json() for g, m in sorted(self.groups.items())},
                "reliability": [vars(b) for b in self.reliability], "note": self.note}


def reliability_table(scores: Sequence[float], labels: Sequence[int], bins: int = 10
                      ) -> list[ReliabilityBin]:
    """Calibration check: within each score band, how often the label is positive."""
    table = []
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        inside = [(s, y) for s, y in zip(scores, labels, strict=True)
                  if low <= s < high or (b == bins - 1 and s == 1.0)]
        if inside:
            table.append(ReliabilityBin(
                round(low, 2), round(high, 2), len(inside),
                round(sum(s for s, _ in inside) / len(inside), 3),
                round(sum(y for _, y in inside) / len(inside), 3)))
    return table


def report(examples: Sequence[Example], scores: Sequence[float], flagged: Sequence[bool],
           note: str = "") -> EvalReport:
    labels = [e.label for e in examples]
    by_group: dict[str, tuple[list[int], list[bool]]] = defaultdict(lambda: ([], []))
    for example, guess in zip(examples, flagged, strict=True):
        by_group[example.group][0].append(example.label)
        by_group[example.group][1].append(guess)
    return EvalReport(
        overall=counted_with_interval(labels, flagged),
        groups={g: counted_with_interval(ys, gs) for g, (ys, gs) in by_group.items() if g},
        reliability=reliability_table(scores, labels), note=note,
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def evaluate_file(path: Path | str, text_column: str = "text", label_column: str = "label",
                  group_column: str | None = None, policy: str = "ihra",
                  split: str = "auto") -> EvalReport:
    """Score a labelled CSV with the shipped detector.

    ``split="auto"`` evaluates the whole file unless it is the very file the model
    was trained on, in which case only its held-out test split is used (scoring
    the training rows would report memorisation, not skill).
    """
    from ..pipeline import detect_batch, load_detector

    path = Path(path)
    examples, conflicting = deduplicate(
        read_labelled_csv(path, text_column, label_column, group_column))
    trained_on = load_detector().meta.get("training_data_sha256", {}).values()
    if split == "auto":
        split = "test" if file_sha256(path) in trained_on else "all"
    if split != "all":
        examples = [e for e in examples if e.split == split]
    verdicts = list(detect_batch((e.text for e in examples), policy))
    note = (f"{path.name}: {len(examples)} de-duplicated posts "
            f"({conflicting} texts with conflicting labels dropped), split={split}, "
            f"policy={policy}")
    return report(examples, [v.score for v in verdicts], [v.antisemitic for v in verdicts], note)
