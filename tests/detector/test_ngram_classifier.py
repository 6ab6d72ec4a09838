"""The n-gram stage scores without scikit-learn: its n-grams and logits must be exactly what
scikit-learn's TfidfVectorizer gives with the same vocabulary and idf weights, to the bit,
or a shipped model would score differently from the one that was trained and measured."""

import csv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer

from tropewatch.detector import classifier
from tropewatch.detector.bundle import DETECTOR_DIR
from tropewatch.detector.classifier import (
    CHAR_PARAMS,
    WORD_PARAMS,
    NgramClassifier,
    char_wb_ngrams,
    word_ngrams,
)
from tropewatch.detector.normalize import normalize
from tropewatch.detector.pipeline import prepare_for_ngrams

ROOT = Path(__file__).resolve().parents[2]
# Words, spaces of every kind, echoes, hashtags, handles, digits, and letters outside ASCII.
TEXTS = st.lists(st.sampled_from([*"ab jJ\t\n\u00a0\u2003(#@_-.'9é\u0130ß", "jew", "zio"]),
                 max_size=40).map("".join)


@pytest.fixture(scope="module")
def shipped() -> NgramClassifier:
    return NgramClassifier.load(DETECTOR_DIR / "ngram.npz")


def _scikit_learn(model: NgramClassifier, texts: list[str]) -> np.ndarray:
    """The logits as the n-gram stage computed them before: scikit-learn's vectorisers with
    the model's vocabularies and idf weights, a sparse product with the weights."""
    vectorisers = []
    for params, terms in ((WORD_PARAMS, model.word), (CHAR_PARAMS, model.char)):
        vectoriser = TfidfVectorizer(**params, vocabulary=dict(terms.vocabulary))
        vectoriser.idf_ = terms.idf
        vectorisers.append(vectoriser)
    features = hstack([v.transform(texts) for v in vectorisers]).tocsr()
    return features @ model.coef + model.intercept


def _repository_texts() -> list[str]:
    texts = []
    for path, column in ((ROOT / "probes" / "probes.csv", "text"),
                         (ROOT / "examples" / "posts.csv", "text"),
                         (DETECTOR_DIR.parents[1] / "written" / "dev.csv", "text")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [row[column] for row in csv.DictReader(handle)]
    return texts


def test_the_logits_are_scikit_learns_to_the_bit(shipped):
    texts = _repository_texts()
    assert len(texts) > 1000
    prepared = [prepare_for_ngrams(normalize(text)) for text in texts]
    for batch in (prepared, texts, ["", "   ", "(((", "a"]):
        assert np.array_equal(shipped.logits(batch), _scikit_learn(shipped, batch))


@settings(max_examples=300)
@given(st.lists(TEXTS, min_size=1, max_size=4))
def test_the_logits_of_any_text_are_scikit_learns(shipped, texts):
    assert np.array_equal(shipped.logits(texts), _scikit_learn(shipped, texts))


@settings(max_examples=300)
@given(TEXTS)
def test_the_ngrams_are_scikit_learns_in_order(text):
    assert word_ngrams(text) == TfidfVectorizer(**WORD_PARAMS).build_analyzer()(text)
    assert char_wb_ngrams(text) == TfidfVectorizer(**CHAR_PARAMS).build_analyzer()(text)


def test_remembering_words_changes_no_logit(monkeypatch):
    """Each word's n-grams are looked up once and remembered (classifier.TfidfTerms): what
    was scored before, and forgetting when the memory is full, must change nothing."""
    texts = _repository_texts()[:400]
    reference = _scikit_learn(NgramClassifier.load(DETECTOR_DIR / "ngram.npz"), texts)
    warm = NgramClassifier.load(DETECTOR_DIR / "ngram.npz")
    warm.logits(texts[::-1])
    monkeypatch.setattr(classifier, "KNOWN_WORDS", 7)
    forgetful = NgramClassifier.load(DETECTOR_DIR / "ngram.npz")

    assert np.array_equal(warm.logits(texts), reference)
    assert np.array_equal(forgetful.logits(texts), reference)
    assert len(warm.char._known) > 1000 and len(forgetful.char._known) <= 7


def test_a_freshly_fitted_model_scores_as_scikit_learn_does():
    texts = ["jews control the media", "lovely day for it", "the media control us",
             "jews and the media", "a day out", "control the day"] * 3
    model = NgramClassifier.fit(texts, [1, 0, 0, 1, 0, 0] * 3, np.ones(len(texts)))
    assert model.word.idf.dtype == np.float64  # not yet rounded to float32 by saving
    assert np.array_equal(model.logits(texts), _scikit_learn(model, texts))


def test_scoring_does_not_import_scikit_learn():
    import subprocess
    import sys

    code = ("import sys; from tropewatch.detector import detect; "
            "detect('The Rothschilds own the banks'); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
