from pathlib import Path

import pytest

from tropewatch.detector.dataset import Example, load_isca
from tropewatch.detector.evaluate import Metrics, evaluate_file, reliability_table, report


def test_metrics_count_the_confusion_matrix():
    m = Metrics.count([1, 1, 0, 0, 1], [True, False, True, False, True])
    assert (m.tp, m.fn, m.fp, m.tn) == (2, 1, 1, 1)
    assert m.precision == 2 / 3 and m.recall == 2 / 3 and abs(m.f1 - 2 / 3) < 1e-12


def test_f1_is_zero_not_an_error_when_nothing_is_flagged():
    assert Metrics.count([1, 0], [False, False]).f1 == 0.0


def test_report_splits_metrics_by_group():
    examples = [Example("a", 1, "Jews", "", "a"), Example("b", 0, "Israel", "", "b")]
    r = report(examples, [0.9, 0.8], [True, True])
    assert r.groups["Jews"].tp == 1 and r.groups["Israel"].fp == 1


def test_reliability_bins_report_observed_positive_rate():
    table = reliability_table([0.05, 0.15, 0.85, 0.95], [0, 0, 1, 0])
    top = [b for b in table if b.low == 0.9][0]
    assert top.n == 1 and top.positive_rate == 0.0


ISCA = (Path(__file__).resolve().parents[3] / "shared" / "data" / "isca-goldstandard-2024"
        / "tweets.csv")


@pytest.mark.data
@pytest.mark.skipif(not ISCA.exists(), reason=f"shared training data not found at {ISCA}")
def test_evaluating_the_training_file_scores_only_its_held_out_test_split():
    report = evaluate_file(ISCA, "Text", "Biased", "Keyword")
    assert "split=test" in report.note
    assert set(report.groups) == {"Jews", "Israel", "Kikes", "ZioNazi"}
    held_out = [e for e in load_isca(ISCA.parents[1])[0] if e.split == "test"]
    assert report.overall.n == len(held_out)
