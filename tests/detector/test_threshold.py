"""The operating threshold is the middle of dev F1's best plateau, not its luckiest cut."""

import numpy as np

from tropewatch.detector.training.train import THRESHOLD_CANDIDATES, _best_threshold, plateau_centre


def test_a_broad_plateau_beats_a_lone_spike():
    values = np.zeros(40)
    values[30] = 1.0  # one lucky cut
    values[9:16] = 0.8  # a plateau of seven cuts
    assert plateau_centre(values, reach=3) == 12


def test_the_plateau_centre_of_a_single_peak_is_the_peak():
    values = -np.abs(np.arange(21) - 14.0)
    assert plateau_centre(values, reach=2) == 14


def test_the_threshold_separates_cleanly_separable_scores():
    rng = np.random.default_rng(0)
    negatives = rng.uniform(0.0, 0.3, 200)
    positives = rng.uniform(0.7, 1.0, 50)
    threshold = _best_threshold(np.concatenate([negatives, positives]),
                                np.array([0] * 200 + [1] * 50))
    assert threshold in THRESHOLD_CANDIDATES
    assert 0.3 < threshold <= 0.7
