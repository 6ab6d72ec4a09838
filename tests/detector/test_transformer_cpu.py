"""The transformer's scores on this CPU against the logits recorded when the shipped model was
built (stored_logits.py): the same posts must score the same, to well within a decision, on
any x86-64 CPU with AVX2. Training replays the recorded logits, so the rebuilt model does not
depend on the CPU either."""

import csv
from pathlib import Path

import numpy as np

from tropewatch.detector.bundle import TRANSFORMER_DIR
from tropewatch.detector.training.stored_logits import LogitTable, ReplayedTransformer
from tropewatch.detector.transformer import load_transformer, sigmoid

PROBES = Path(__file__).resolve().parents[2] / "probes" / "probes.csv"
# Under an emulated Haswell (AVX2, no AVX-512 or VNNI: qemu-x86_64 -cpu Haswell), 161 of the
# 650 probes' probabilities moved from those recorded on an Intel Xeon with VNNI: by 0.00012 on
# average and 0.041 at most (one activation crossing a quantisation step), no decision at 0.5
# changed. The bounds leave room above that, and none for a real change of model.
MAX_DIFFERENCE = 0.06
MEAN_DIFFERENCE = 0.002


def test_this_cpu_scores_the_probes_as_recorded():
    with PROBES.open(encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    table = LogitTable.load(TRANSFORMER_DIR)
    recorded = np.array([table.get(text) for text in texts], dtype=np.float64)

    live = load_transformer().predict_logits(texts)

    assert len(texts) == 650 and not np.isnan(recorded).any()
    difference = np.abs(sigmoid(live) - sigmoid(recorded))
    assert difference.max() <= MAX_DIFFERENCE, texts[int(np.argmax(difference))]
    assert difference.mean() <= MEAN_DIFFERENCE
    assert np.array_equal(sigmoid(live) >= 0.5, sigmoid(recorded) >= 0.5)


class _CountingScorer:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def predict_logits(self, texts):
        self.asked += texts
        return np.full(len(texts), 7.0)


def test_training_replays_recorded_logits_and_scores_only_new_posts_live():
    from tropewatch.detector.training.stored_logits import text_key

    table = LogitTable(np.array([text_key("known post")], dtype=np.uint64),
                       np.array([-1.25], dtype=np.float32))
    scorer = _CountingScorer()
    replayed = ReplayedTransformer(scorer, table)

    logits = replayed.submit_logits(["known post", "new post"]).result()

    assert list(logits) == [-1.25, 7.0]
    assert scorer.asked == ["new post"] and replayed.live == 1
