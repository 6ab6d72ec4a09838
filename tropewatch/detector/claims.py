"""Trope recognition, for recall: which claim of the taxonomy a post comes closest to, and in
which sentence, without needing any coded word.

``data/claims.yaml`` holds canonical claims per taxonomy category ("their first loyalty is to
Israel", "it was all a smear by the lobby"). Each is embedded once with the sentence encoder;
a post is split into sentences, each sentence embedded, and the closest claim by cosine
similarity gives the category, the sentence as the span, and the similarity as the strength.
The match says only what the post *discusses*: a refutation matches the claim it refutes.
Whether the post endorses it is the stance stage's question (``stance.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .datafile import load_validated_yaml

CLAIMS_PATH = Path(__file__).parent / "data" / "claims.yaml"
# Sentence ends; line breaks also end a sentence (posts often have no full stops).
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\s*\n+\s*")
_WORD = re.compile(r"\w")
# Very long posts: the first sentences carry the claim often enough, and the cost is bounded.
MAX_SENTENCES = 12
# A post the relevance gate clears (it names no group) still reaches the claim stage when it
# shares this many distinct claim words with the bank ("they poison wells ... blood"), so
# that "they" posts are read without sending every post through the encoder.
CLAIM_WORDS_NEEDED = 2
_CLAIM_WORD = re.compile(r"[a-z]{4,}")
# Words too common to point at any claim; the rest of the bank's words of four letters or
# more, cut to their first five (so "poisoned" and "poison" meet), are its claim words.
_COMMON = frozenset("""
    about again always among anything away because been behind country decide down doing
    early else every everything exactly fair first good have just know life live living
    mean more most must never nothing only order other over own people real reason right
    same should single small someone start state take than that their them there they
    thing things this time typical used uses very were what where which whole will with
    world would your
""".split())

CLAIMS_SCHEMA = {
    "type": "object",
    "required": ["version", "claims"],
    "additionalProperties": False,
    "properties": {
        "version": {"type": "string", "pattern": r"^\d{4}\.\d{1,2}\.\d+$"},
        "claims": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {
                "type": "array", "minItems": 1,
                "items": {"type": "string", "minLength": 3},
            },
        },
    },
}


@dataclass(frozen=True, slots=True)
class Claim:
    category: str
    text: str


@dataclass(frozen=True, slots=True)
class ClaimMatch:
    """The claim a post comes closest to, and where: ``start``/``end`` index the post."""

    category: str
    claim: str
    similarity: float
    start: int
    end: int


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Offsets of the sentences of ``text`` that hold a word, at most MAX_SENTENCES."""
    spans, start = [], 0
    for boundary in _SENTENCE_END.finditer(text):
        spans.append((start, boundary.start()))
        start = boundary.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if _WORD.search(text[s:e])][:MAX_SENTENCES]


class ClaimBank:
    def __init__(self, version: str, claims: list[Claim], embeddings: np.ndarray) -> None:
        self.version = version
        self.claims = claims
        self.embeddings = embeddings  # one unit-length row per claim
        self.claim_words = frozenset(word[:5] for claim in claims
                                     for word in _CLAIM_WORD.findall(claim.text.lower())
                                     if word not in _COMMON)

    @classmethod
    def load(cls, encoder, path: Path = CLAIMS_PATH) -> ClaimBank:
        data = load_validated_yaml(path, CLAIMS_SCHEMA)
        claims = [Claim(category, str(text)) for category, texts in data["claims"].items()
                  for text in texts]
        return cls(str(data["version"]), claims, encoder.embed([c.text for c in claims]))

    def mentions_claim_words(self, text: str) -> bool:
        """Whether ``text`` (normalised, lower case) shares CLAIM_WORDS_NEEDED claim words."""
        found = {word[:5] for word in _CLAIM_WORD.findall(text)} & self.claim_words
        return len(found) >= CLAIM_WORDS_NEEDED

    def best(self, text: str, spans: list[tuple[int, int]],
             sentence_embeddings: np.ndarray) -> ClaimMatch | None:
        """The closest claim over all of a post's sentences (None for a post without any)."""
        if not spans:
            return None
        similarity = sentence_embeddings @ self.embeddings.T
        sentence, claim = np.unravel_index(int(np.argmax(similarity)), similarity.shape)
        start, end = spans[sentence]
        found = self.claims[claim]
        return ClaimMatch(found.category, found.text, float(similarity[sentence, claim]),
                          start, end)


def closest_claims(texts: Sequence[str], encoder, bank: ClaimBank
                   ) -> list[tuple[ClaimMatch, np.ndarray, list[tuple[int, int]]] | None]:
    """For each post (spans index it as given): its closest claim, its sentences' embeddings
    and their offsets; None for a post without a sentence. All sentences in one call."""
    spans = [split_sentences(text) for text in texts]
    embeddings = encoder.embed([text[s:e] for text, post in zip(texts, spans, strict=True)
                                for s, e in post])
    out, row = [], 0
    for text, post in zip(texts, spans, strict=True):
        sentences = embeddings[row : row + len(post)]
        row += len(post)
        match = bank.best(text, post, sentences)
        out.append(None if match is None else (match, sentences, post))
    return out


def bank_version(path: Path = CLAIMS_PATH) -> str:
    """The claim bank's version, without loading the encoder."""
    return str(load_validated_yaml(path, CLAIMS_SCHEMA)["version"])


@lru_cache(maxsize=2)
def load_claim_bank(encoder) -> ClaimBank:
    return ClaimBank.load(encoder)
