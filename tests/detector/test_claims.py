"""Trope recognition: sentences, the claim bank, and the closest claim of a post."""

from pathlib import Path

import numpy as np
import pytest

from tropewatch.detector.claims import (
    CLAIMS_PATH,
    MAX_SENTENCES,
    ClaimBank,
    split_sentences,
)
from tropewatch.detector.datafile import DataFileError
from tropewatch.detector.encoder import load_encoder
from tropewatch.detector.taxonomy import load_taxonomy


def _sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


def test_sentences_end_at_full_stops_and_line_breaks_and_keep_their_offsets():
    text = "Wake up people. They run it all!\n\nnoticing yet?"

    assert _sentences(text) == ["Wake up people.", "They run it all!", "noticing yet?"]


def test_pieces_without_a_word_are_not_sentences_and_long_posts_are_cut():
    assert _sentences("... !!! Fine.") == ["Fine."]
    assert len(split_sentences("Word. " * (MAX_SENTENCES + 5))) == MAX_SENTENCES


@pytest.fixture(scope="module")
def bank() -> ClaimBank:
    return ClaimBank.load(load_encoder())


def test_every_claim_names_a_taxonomy_category_and_every_category_has_claims(bank):
    taxonomy = {c.id for c in load_taxonomy().categories} - {"general_antisemitism"}

    assert {claim.category for claim in bank.claims} == taxonomy


def test_the_closest_claim_is_found_in_the_sentence_that_makes_it(bank):
    text = "Lovely canvassing in Leeds today. Their first loyalty is to Israel, not to us."
    spans = split_sentences(text)

    match = bank.best(text, spans, load_encoder().embed(_sentences(text)))

    assert match.category == "dual_loyalty"
    assert text[match.start:match.end] == "Their first loyalty is to Israel, not to us."
    assert match.similarity > 0.8


def test_an_unrelated_post_comes_nowhere_near_a_claim(bank):
    text = "The bus to Leeds was late again."

    match = bank.best(text, split_sentences(text), load_encoder().embed([text]))

    assert match.similarity < 0.3


def test_posts_naming_no_group_are_read_when_they_share_claim_words(bank):
    assert bank.mentions_claim_words("they poison wells and use children's blood")
    assert not bank.mentions_claim_words("they said the weather would be lovely")
    assert not bank.mentions_claim_words("")


def test_a_bank_with_a_bad_version_names_the_field(tmp_path: Path):
    broken = tmp_path / "claims.yaml"
    broken.write_text("version: soon\nclaims:\n  dual_loyalty: [Their loyalty is elsewhere.]\n",
                      encoding="utf-8")

    with pytest.raises(DataFileError, match=r"claims.yaml: version: 'soon' does not match"):
        ClaimBank.load(load_encoder(), broken)


def test_each_claim_is_embedded_once_as_a_unit_vector(bank):
    assert bank.embeddings.shape == (len(bank.claims), 384)
    assert np.allclose(np.linalg.norm(bank.embeddings, axis=1), 1.0, atol=1e-3)
    assert len({claim.text for claim in bank.claims}) == len(bank.claims)
    assert CLAIMS_PATH.name == "claims.yaml"
