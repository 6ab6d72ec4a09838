"""The stance model's arithmetic and its inputs."""

import numpy as np

from tropewatch.detector.stance import (
    STAGE_FEATURES,
    StanceModel,
    post_embedding,
    stance_features,
)


def test_probabilities_are_a_softmax_over_the_classes():
    model = StanceModel(("endorse", "reject"), np.array([[2.0, 0.0], [0.0, 2.0]]),
                        np.array([0.0, 0.0]))

    probabilities = model.probabilities(np.array([[1.0, 0.0], [0.0, 0.0]]))

    # e^2 / (e^2 + e^0) for the first row, an even split for the second.
    assert np.allclose(probabilities[0], [0.880797, 0.119203], atol=1e-6)
    assert np.allclose(probabilities[1], [0.5, 0.5])
    assert np.allclose(model.endorse(np.array([[1.0, 0.0]])), [0.880797], atol=1e-6)


def test_huge_logits_do_not_overflow():
    model = StanceModel(("endorse", "reject"), np.array([[1000.0], [0.0]]), np.zeros(2))

    assert np.allclose(model.probabilities(np.array([[5.0]])), [[1.0, 0.0]])


def test_a_model_survives_saving_and_loading(tmp_path):
    model = StanceModel(("endorse", "neutral", "reject"), np.arange(6.0).reshape(3, 2),
                        np.array([0.5, -0.5, 0.0]))

    model.save(tmp_path / "stance.npz")
    loaded = StanceModel.load(tmp_path / "stance.npz")

    assert loaded.classes == model.classes
    assert np.array_equal(loaded.coef, model.coef)
    assert np.array_equal(loaded.intercept, model.intercept)


def test_features_hold_the_post_the_claim_sentence_and_the_cues_in_a_fixed_order():
    sentences = np.eye(3, 384, dtype=np.float32)
    cues = {"quotation": 1.0, "debunking": 2.0}

    features = stance_features(sentences, 1, 0.7, cues, {"ngram_logit": -1.5})

    assert len(features) == 384 * 2 + 1 + len(cues) + len(STAGE_FEATURES)
    assert np.allclose(features[:384], post_embedding(sentences))
    assert features[384 + 1] == 1.0  # the second sentence's own embedding
    assert list(features[768:771]) == [0.7, 2.0, 1.0]  # similarity, then cues by name
    assert features[771] == -1.5 and not features[772:].any()
