"""The sentence encoder: unit vectors, and each text's embedding independent of its batch."""

import numpy as np

from tropewatch.detector.encoder import load_encoder


def test_embeddings_are_unit_vectors_and_paraphrases_come_closer_than_strangers():
    vectors = load_encoder().embed([
        "Jewish MPs are more loyal to Israel than to Britain.",
        "Their first loyalty is to Israel.",
        "The bus to Leeds was late again.",
    ])

    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert vectors[0] @ vectors[1] > 0.5 > vectors[0] @ vectors[2]


def test_a_texts_embedding_does_not_depend_on_the_texts_beside_it():
    encoder = load_encoder()
    alone = encoder.embed(["They run the media."])[0]
    beside = encoder.embed(["A much longer post about the council's bin collections, "
                            "which are late again this week.", "They run the media."])[1]

    assert np.array_equal(alone, beside)


def test_no_texts_give_an_empty_matrix():
    assert load_encoder().embed([]).shape == (0, 384)
