"""The combiner's fit: scikit-learn's L2 logistic regression, with counter-speech cues kept to
the direction their group means."""

import numpy as np
from sklearn.linear_model import LogisticRegression

from tropewatch.detector.combiner import Combiner, cue_directions
from tropewatch.detector.counter_speech import load_cues


def _data(seed: int = 0):
    rng = np.random.default_rng(seed)
    x = np.column_stack([rng.normal(size=600), rng.integers(0, 3, 600).astype(float)])
    # The cue (second column) comes with antisemitic posts in this sample.
    labels = (x[:, 0] + 0.8 * x[:, 1] + rng.normal(size=600) > 0.8).astype(int)
    weights = rng.uniform(0.3, 1.0, 600)
    rows = [{"ngram_logit": a, "cue_debunking": b} for a, b in x]
    return x, labels, weights, rows


def test_without_directions_it_is_scikit_learns_logistic_regression():
    x, labels, weights, rows = _data()
    fitted = Combiner.fit(rows, labels, weights)
    reference = LogisticRegression(C=1.0, tol=1e-8, max_iter=5000).fit(
        x, labels, sample_weight=weights)

    assert fitted.names == ("cue_debunking", "ngram_logit")
    np.testing.assert_allclose(fitted.weights, reference.coef_[0][::-1], atol=1e-3)
    assert abs(fitted.intercept - reference.intercept_[0]) < 1e-3


def test_a_counter_speech_cue_never_raises_the_score_however_the_sample_falls():
    _, labels, weights, rows = _data()
    free = Combiner.fit(rows, labels, weights)
    kept = Combiner.fit(rows, labels, weights, {"cue_debunking": -1})

    assert free.weights[free.names.index("cue_debunking")] > 0.3
    assert kept.weights[kept.names.index("cue_debunking")] == 0.0
    assert kept.weights[kept.names.index("ngram_logit")] > 0


def test_each_cue_group_points_the_way_its_weight_in_the_cue_file_says():
    directions = cue_directions(load_cues())

    assert directions["cue_condemnation"] == -1  # calling it out
    assert directions["cue_debunking"] == -1
    assert directions["cue_dismissal"] == 1  # "it's all a smear"
    assert directions["cue_conspiracy_framing"] == 1  # "wake up", "do your own research"
    assert set(directions) == {f"cue_{name}" for name in load_cues().names}
