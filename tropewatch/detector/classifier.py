"""The n-gram stage: TF-IDF word and character n-grams with logistic regression.

Stored as plain arrays (vocabularies, idf weights, coefficients) in an ``.npz``
file rather than a pickle: loading a pickle runs code, and a model file is the
kind of thing that gets passed around between organisations.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer

# Word uni- and bigrams carry topic and phrasing; character n-grams inside word
# boundaries survive misspellings and obfuscations the normaliser does not undo.
WORD_PARAMS = dict(analyzer="word", ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                   token_pattern=r"(?u)\b\w+\b|\(\(\(|[#@]\w+")
CHAR_PARAMS = dict(analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True,
                   max_features=150_000)


def _vectorizer(params: dict, vocabulary: Sequence[str] | None = None,
                idf: np.ndarray | None = None) -> TfidfVectorizer:
    vec = TfidfVectorizer(**params, vocabulary=None if vocabulary is None else
                          {term: i for i, term in enumerate(vocabulary)})
    if idf is not None:
        vec.idf_ = idf
    return vec


def _vocabulary(vec: TfidfVectorizer) -> np.ndarray:
    terms = np.empty(len(vec.vocabulary_), dtype=object)
    for term, index in vec.vocabulary_.items():
        terms[index] = term
    return terms.astype(str)


def _save_arrays(path: Path, **arrays: np.ndarray) -> None:
    """Like ``np.savez_compressed``, but the same arrays always give the same bytes (no
    timestamps in the zip), so a retrained model's sha256 changes only when it does."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as member:
                np.lib.format.write_array(member, np.asanyarray(array), allow_pickle=False)


@dataclass
class NgramClassifier:
    word: TfidfVectorizer
    char: TfidfVectorizer
    coef: np.ndarray  # one weight per feature: word features first, then char
    intercept: float

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[int], sample_weight: np.ndarray,
            c: float = 1.0) -> NgramClassifier:
        from sklearn.linear_model import LogisticRegression

        word, char = _vectorizer(WORD_PARAMS), _vectorizer(CHAR_PARAMS)
        features = hstack([word.fit_transform(texts), char.fit_transform(texts)]).tocsr()
        model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
        model.fit(features, labels, sample_weight=sample_weight)
        return cls(word, char, model.coef_[0].astype(np.float32), float(model.intercept_[0]))

    def _features(self, texts: Sequence[str]) -> csr_matrix:
        return hstack([self.word.transform(texts), self.char.transform(texts)]).tocsr()

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Log-odds that each (prepared) text is antisemitic."""
        return self._features(texts) @ self.coef + self.intercept

    def save(self, path: Path) -> None:
        _save_arrays(
            path,
            word_vocabulary=_vocabulary(self.word), word_idf=self.word.idf_.astype(np.float32),
            char_vocabulary=_vocabulary(self.char), char_idf=self.char.idf_.astype(np.float32),
            coef=self.coef, intercept=np.array([self.intercept]),
        )

    @classmethod
    def load(cls, path: Path) -> NgramClassifier:
        with np.load(path, allow_pickle=False) as arrays:
            return cls(
                _vectorizer(WORD_PARAMS, arrays["word_vocabulary"], arrays["word_idf"]),
                _vectorizer(CHAR_PARAMS, arrays["char_vocabulary"], arrays["char_idf"]),
                arrays["coef"], float(arrays["intercept"][0]),
            )
