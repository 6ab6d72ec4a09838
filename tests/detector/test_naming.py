"""The shipped detector names the trope of a post its models flag without any lexicon term
(naming.py): the issue's five posts as UK political groups write them, each with its category
and the sentence that asserts it, and none of their refutations."""

import pytest

from tropewatch.detector import detect
from tropewatch.detector.bundle import BundleMismatchError
from tropewatch.detector.pipeline import Detector

from .bundles import edited_bundle

# (post, its category, the sentence the claim span must cover)
ASSERTIONS = [
    ("You can never trust a Jewish MP. Their first loyalty is always to Israel.",
     "dual_loyalty", "Their first loyalty is always to Israel."),
    ("Soros and his Jewish friends are funding the invasion to replace us.",
     "rothschild_soros", "Soros and his Jewish friends are funding the invasion to replace us."),
    ("They poison wells and use children's blood. Ancient tradition of theirs.",
     "blood_libel_deicide", None),
    ("The antisemitism row is a fake smear invented by the Israel lobby to stop Corbyn.",
     "smear_dismissal", None),
    ("Every Jew in Britain should answer for what Israel is doing.",
     "collective_responsibility_israel", None),
]
REFUTATIONS = [
    "No, Jewish MPs are not loyal to Israel first — that's an old antisemitic slur.",
    "Blood libel — the lie that Jews poison wells and use children's blood — has got Jews "
    "killed for centuries.",
    "Calling the antisemitism crisis a fake smear by the Israel lobby is itself antisemitic: "
    "Jewish members were really abused.",
]


@pytest.mark.parametrize(("post", "category", "sentence"), ASSERTIONS)
def test_a_trope_stated_in_plain_words_is_flagged_with_its_category_and_a_span(
        post, category, sentence):
    verdict = detect(post, "ihra")

    assert verdict.antisemitic, verdict
    assert verdict.categories[0].id == category, verdict.categories
    assert verdict.spans, verdict
    assert all(post[s.start:s.end] == s.term for s in verdict.spans)
    if sentence is not None:
        claim_span = next(s for s in verdict.spans if s.entry == "claim")
        assert claim_span.term == sentence
        assert verdict.claim.category == category and verdict.claim.stance == "endorse"
        assert "asserts a trope" in verdict.explanation


@pytest.mark.parametrize("post", REFUTATIONS)
def test_a_refutation_restating_the_trope_is_not_flagged(post):
    assert not detect(post, "ihra").antisemitic


def test_a_post_flagged_on_a_lexicon_term_keeps_its_category_and_names_no_claim():
    verdict = detect("Holohoax. Nobody believes that fairy tale anymore.")

    assert verdict.antisemitic and verdict.claim is None
    assert [c.id for c in verdict.categories] == ["holocaust_denial"]


def test_a_bundle_naming_claims_from_another_claim_bank_is_refused(tmp_path):
    bundle = edited_bundle(tmp_path, lambda meta: meta["claim_naming"].update(
        bank_version="2020.1.1"))

    with pytest.raises(BundleMismatchError, match="claim bank 2020.1.1"):
        Detector(bundle)
