"""The n-gram stage: TF-IDF word and character n-grams with logistic regression.

Stored as plain arrays (vocabularies, idf weights, coefficients) in an ``.npz``
file rather than a pickle: loading a pickle runs code, and a model file is the
kind of thing that gets passed around between organisations.

Training fits scikit-learn's ``TfidfVectorizer``; scoring does not import scikit-learn at
all. ``TfidfTerms`` computes exactly what the vectoriser's ``transform`` does with these
settings (the same n-grams, the same floating-point operations in the same order, so the
same logits to the last bit; ``tests/detector/test_ngram_classifier.py`` checks it).
Importing scikit-learn's text module took about 110 MB and a second of every scan's
start-up, a third of a scan's memory.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from pathlib import Path

import numpy as np

# Word uni- and bigrams carry topic and phrasing; character n-grams inside word
# boundaries survive misspellings and obfuscations the normaliser does not undo.
WORD_PARAMS = dict(analyzer="word", ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                   token_pattern=r"(?u)\b\w+\b|\(\(\(|[#@]\w+")
CHAR_PARAMS = dict(analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True,
                   max_features=150_000)

_WORD_TOKEN = re.compile(WORD_PARAMS["token_pattern"])
_WHITE_SPACES = re.compile(r"\s\s+")  # scikit-learn's, for char_wb
# How many words' character n-grams the n-gram stage remembers (see TfidfTerms): about 7 MB.
KNOWN_WORDS = 32_768


def word_ngrams(text: str) -> list[str]:
    """The terms scikit-learn's word analyzer gives with WORD_PARAMS: lower-cased tokens,
    then each pair of neighbours joined by a space."""
    tokens = _WORD_TOKEN.findall(text.lower())
    low, high = WORD_PARAMS["ngram_range"]
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return grams


def char_wb_words(text: str) -> list[str]:
    """The words scikit-learn's char_wb analyzer cuts into n-grams: lower-cased, split at
    white space."""
    return _WHITE_SPACES.sub(" ", text.lower()).split()


def char_wb_word_ngrams(word: str) -> list[str]:
    """One word's char_wb n-grams with CHAR_PARAMS: the word padded with a space either
    side, cut into n-grams; a word no longer than n gives itself once and no longer ones."""
    low, high = CHAR_PARAMS["ngram_range"]
    word = f" {word} "
    grams: list[str] = []
    for n in range(low, high + 1):
        if len(word) <= n:
            grams.append(word)
            break
        grams += [word[i : i + n] for i in range(len(word) - n + 1)]
    return grams


def char_wb_ngrams(text: str) -> list[str]:
    """The terms scikit-learn's char_wb analyzer gives with CHAR_PARAMS: each word's
    n-grams, word by word."""
    return [gram for word in char_wb_words(text) for gram in char_wb_word_ngrams(word)]


@dataclass(frozen=True)
class TfidfTerms:
    """One vectoriser's fitted state, and its TF-IDF row for a text (sublinear tf, l2 norm),
    as scikit-learn computes it.

    With ``words`` given, ``ngrams`` cuts one word (char_wb: a word's n-grams depend on the
    word alone), and the vocabulary indices of each word's n-grams are remembered: posts
    repeat their words, and cutting and looking up some 300 n-grams a post was half of the
    n-gram stage (190 µs a post against 26 with the words known, held-out ISCA tweets). The
    row is the same either way: the same indices, counted and sorted by ``np.unique``."""

    ngrams: Callable[[str], list[str]]
    vocabulary: Mapping[str, int]
    idf: np.ndarray  # float64 when just fitted, float32 as stored: kept as given
    words: Callable[[str], list[str]] | None = None
    # A word's indices as int32 bytes (a tenth of the memory of a tuple of ints), up to
    # KNOWN_WORDS words, then forgotten all at once: hostile posts can hold any words.
    _known: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indices (ascending) and values of ``text``'s row."""
        indices, counts = np.unique(self._found(text), return_counts=True)  # sorted
        values = counts.astype(np.float64)
        np.log(values, values)
        values += 1.0
        values *= self.idf[indices]
        if len(values):
            # Row by row and in column order, as scikit-learn's inplace l2 normalisation
            # sums the squares: a cumulative sum adds in that order (np.sum would not).
            values /= np.sqrt(np.cumsum(values * values)[-1])
        return indices, values

    def _found(self, text: str) -> np.ndarray:
        """The vocabulary indices of the text's n-grams, each as often as it occurs."""
        if self.words is None:
            return self._indices(self.ngrams(text))
        known = self._known
        parts = []
        for word in self.words(text):
            indices = known.get(word)
            if indices is None:
                if len(known) >= KNOWN_WORDS:
                    known.clear()
                indices = known[word] = self._indices(self.ngrams(word)).astype(
                    np.int32).tobytes()
            parts.append(indices)
        return np.frombuffer(b"".join(parts), dtype=np.int32)

    def _indices(self, grams: list[str]) -> np.ndarray:
        found = np.fromiter(map(self.vocabulary.get, grams, repeat(-1)), dtype=np.int64,
                            count=len(grams))
        return found[found >= 0]


def _save_arrays(path: Path, **arrays: np.ndarray) -> None:
    """Like ``np.savez_compressed``, but the same arrays always give the same bytes (no
    timestamps in the zip), so a retrained model's sha256 changes only when it does."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as member:
                np.lib.format.write_array(member, np.asanyarray(array), allow_pickle=False)


def _vocabulary(terms: Mapping[str, int]) -> np.ndarray:
    ordered = np.empty(len(terms), dtype=object)
    for term, index in terms.items():
        ordered[index] = term
    return ordered.astype(str)


@dataclass
class NgramClassifier:
    word: TfidfTerms
    char: TfidfTerms
    coef: np.ndarray  # one weight per feature: word features first, then char
    intercept: float

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[int], sample_weight: np.ndarray,
            c: float = 1.0) -> NgramClassifier:
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        word, char = TfidfVectorizer(**WORD_PARAMS), TfidfVectorizer(**CHAR_PARAMS)
        features = hstack([word.fit_transform(texts), char.fit_transform(texts)]).tocsr()
        model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
        model.fit(features, labels, sample_weight=sample_weight)
        return cls(TfidfTerms(word_ngrams, word.vocabulary_, word.idf_),
                   _char_terms(char.vocabulary_, char.idf_),
                   model.coef_[0].astype(np.float32), float(model.intercept_[0]))

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Log-odds that each (prepared) text is antisemitic: the word and character rows
        side by side times the weights, summed in column order from zero, as a sparse
        matrix-vector product does, plus the intercept."""
        coef = self._coef64
        offset = len(self.word.vocabulary)
        out = np.empty(len(texts), dtype=np.float64)
        for row, text in enumerate(texts):
            word_indices, word_values = self.word.row(text)
            char_indices, char_values = self.char.row(text)
            products = np.concatenate([word_values * coef[word_indices],
                                       char_values * coef[char_indices + offset]])
            out[row] = np.cumsum(products)[-1] if len(products) else 0.0
        return out + self.intercept

    @cached_property
    def _coef64(self) -> np.ndarray:
        """The weights as float64, as the sparse product upcast them: converted once, not
        for every batch (31 µs for the shipped model's 128,286, against about 1 ms to score
        one of the mixed stream's 13-post batches)."""
        return self.coef.astype(np.float64)

    def save(self, path: Path) -> None:
        _save_arrays(
            path,
            word_vocabulary=_vocabulary(self.word.vocabulary),
            word_idf=self.word.idf.astype(np.float32),
            char_vocabulary=_vocabulary(self.char.vocabulary),
            char_idf=self.char.idf.astype(np.float32),
            coef=self.coef, intercept=np.array([self.intercept]),
        )

    @classmethod
    def load(cls, path: Path) -> NgramClassifier:
        with np.load(path, allow_pickle=False) as arrays:
            return cls(
                TfidfTerms(word_ngrams, _index(arrays["word_vocabulary"]), arrays["word_idf"]),
                _char_terms(_index(arrays["char_vocabulary"]), arrays["char_idf"]),
                arrays["coef"], float(arrays["intercept"][0]),
            )


def _char_terms(vocabulary: Mapping[str, int], idf: np.ndarray) -> TfidfTerms:
    return TfidfTerms(char_wb_word_ngrams, vocabulary, idf, words=char_wb_words)


def _index(terms: np.ndarray) -> dict[str, int]:
    return {str(term): index for index, term in enumerate(terms)}
