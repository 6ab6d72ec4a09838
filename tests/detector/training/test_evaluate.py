import pytest
from shared_data import require_shared_data

from tropewatch.detector.training.dataset import Example, load_isca
from tropewatch.detector.training.evaluate import (
    Metrics,
    evaluate_file,
    f1_interval,
    reliability_table,
    report,
)


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


@pytest.mark.data
def test_evaluating_the_training_file_scores_only_its_held_out_test_split():
    isca = require_shared_data("isca-goldstandard-2024", "tweets.csv")
    report = evaluate_file(isca, "Text", "Biased", "Keyword")
    assert "split=test" in report.note
    assert set(report.groups) == {"Jews", "Israel", "Kikes", "ZioNazi"}
    held_out = [e for e in load_isca(isca.parents[1])[0] if e.split == "test"]
    assert report.overall.n == len(held_out)


def test_the_f1_interval_holds_the_f1_and_narrows_with_more_posts():
    labels = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0] * 5
    guesses = [True, True, False, True, False, False, False, False, False, False] * 5
    f1 = Metrics.count(labels, guesses).f1
    low, high = f1_interval(labels, guesses)
    assert low < f1 < high
    wide_low, wide_high = f1_interval(labels[:20], guesses[:20])
    assert wide_high - wide_low > high - low
    assert f1_interval(labels, guesses) == (low, high)  # seeded: reports are reproducible
    assert f1_interval([1, 0] * 15, [True, False] * 15) == (1.0, 1.0)


def test_reports_carry_an_f1_interval_for_every_group():
    examples = [Example(str(i), i % 3 == 0, "Jews" if i % 2 else "Israel", "", str(i))
                for i in range(60)]
    guesses = [i % 3 == 0 or i % 7 == 0 for i in range(60)]
    r = report(examples, [0.5] * 60, guesses).to_json()
    for metrics in [r["overall"], *r["groups"].values()]:
        low, high = metrics["f1_interval"]
        assert low <= metrics["f1"] <= high
