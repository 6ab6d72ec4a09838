"""Naming the trope of a flagged post that no lexicon term explains.

The models read a post as a whole, so a post they flag without any lexicon match ("You can
never trust a Jewish MP. Their first loyalty is always to Israel.") would be explained only
as general antisemitism, with no span. The claim bank (``claims.py``) names the claim of the
taxonomy such a post comes closest to, with the sentence as its span, when the two are close
enough. Only flagged posts without a lexicon match meet the sentence encoder (5.6% of ISCA's
dev and test tweets, all of which pass the relevance gate), and it is loaded on first use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path

from .bundle import BundleMismatchError
from .claims import ClaimMatch, bank_version, closest_claims, load_claim_bank
from .encoder import load_encoder

# Chosen on the written training posts' assertions, whose sets name their trope (not on a
# report set): at 0.5 the bank names 78% of them, 72% of those rightly; at 0.4, 90% and 69%;
# at 0.6, 55% and 78%. Below it, a flagged post stays "general antisemitism".
NAMING_SIMILARITY = 0.5


def naming_meta() -> dict:
    """What a bundle records of its claim naming, for ``ClaimNaming.load`` to check."""
    return {"bank_version": bank_version(), "similarity": NAMING_SIMILARITY}


class ClaimNaming:
    def __init__(self, similarity: float) -> None:
        self.similarity = similarity

    @classmethod
    def load(cls, model_dir: Path, meta: Mapping) -> ClaimNaming:
        if bank_version() != meta["bank_version"]:
            raise BundleMismatchError(
                f"{model_dir} names claims from claim bank {meta['bank_version']}, but "
                f"data/claims.yaml is {bank_version()}: retrain it (tropewatch train) or use "
                "the claim bank it was trained with")
        return cls(float(meta["similarity"]))

    @cached_property
    def _reader(self):
        encoder = load_encoder()
        return encoder, load_claim_bank(encoder)

    def name(self, texts: Sequence[str]) -> list[ClaimMatch | None]:
        """Each post's closest claim where it is close enough to name; else None."""
        if not texts:
            return []
        encoder, bank = self._reader
        return [found[0] if found is not None and found[0].similarity >= self.similarity
                else None for found in closest_claims(texts, encoder, bank)]
