"""What makes two posts near-duplicates: word pairs that overlap enough (Jaccard similarity of
word bigrams, estimated by a MinHash signature from datasketch) once case, punctuation, emoji,
links, mentions and the hashtags trailing the text are set aside.

Campaign copies differ in exactly those ways: a link of one's own, an emoji, capitals, an
extra word, hashtags of one's own choosing. Unrelated posts that share hashtags share a few
words, but few word pairs.

Measured on tests/service/clusters/campaigns.py's 3,000 posts (20,000 random pairs): copies
of one campaign have a similarity of 0.55 to 1.0 (median 1.0), posts of different campaigns
or unrelated posts at most 0.14; with the trailing hashtags kept, copies fell to 0.43.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

import numpy as np

NUM_PERM = 64
# LSH banding: 32 bands of 2 values. Two posts whose word pairs overlap with Jaccard
# similarity J become candidates with probability 1 - (1 - J**2) ** 32: 0.996 at J = 0.4,
# 0.28 at J = 0.1 (such candidates cost one comparison each and are turned away).
BANDS = 32
ROWS = NUM_PERM // BANDS
# Candidates join a cluster when their estimated similarity is at least this. With 64
# values the estimate's standard error is at most 0.0625: a copy at 0.55 falls below 0.4
# about once in a hundred, a post at 0.14 rises above it about once in 30,000.
THRESHOLD = 0.4
_SEED = 1  # fixed: signatures stored today must compare with those computed next year

_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@[\w.]+")
_WORD = re.compile(r"#?\w+")


def normalise(text: str) -> list[str]:
    """The words of ``text`` that say something: lower case, without links, @mentions,
    punctuation, emoji or the hashtags after the last word (NFKC first, so styled letters
    count as plain ones). Hashtags within the text are words; a post of hashtags alone
    keeps them."""
    text = unicodedata.normalize("NFKC", text).casefold()
    tokens = _WORD.findall(_MENTION.sub(" ", _LINK.sub(" ", text)))
    end = len(tokens)
    while end > 0 and tokens[end - 1].startswith("#"):
        end -= 1
    return [token.lstrip("#") for token in tokens[:end] or tokens]


def shingles(words: Sequence[str]) -> set[bytes]:
    """Word bigrams (the word itself for a one-word post)."""
    if len(words) == 1:
        return {words[0].encode("utf-8")}
    return {f"{a} {b}".encode() for a, b in zip(words, words[1:], strict=False)}


def signatures(texts: Sequence[str]) -> list[np.ndarray | None]:
    """A MinHash signature per text; None for a text without words."""
    # Imported here, not with the module: datasketch imports scipy, 0.6 s of start-up for
    # every command and web process that stores posts, most of which never cluster one.
    from datasketch import MinHash

    sets = [shingles(normalise(text)) for text in texts]
    present = [s for s in sets if s]
    hashes = iter(MinHash.bulk(present, num_perm=NUM_PERM, seed=_SEED))
    return [next(hashes).hashvalues.astype(np.uint32) if s else None for s in sets]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two signatures' word pairs."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def buckets(signature: np.ndarray) -> list[tuple[int, int]]:
    """(band, bucket) for each LSH band: a 64-bit hash of the band's values, signed so that
    it fits a BigIntegerField."""
    raw = signature.astype("<u4").tobytes()
    width = ROWS * 4
    return [
        (band, int.from_bytes(hashlib.blake2b(raw[band * width:(band + 1) * width],
                                              digest_size=8).digest(), "little", signed=True))
        for band in range(BANDS)
    ]


def to_bytes(signature: np.ndarray) -> bytes:
    return signature.astype("<u4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<u4").astype(np.uint32)
