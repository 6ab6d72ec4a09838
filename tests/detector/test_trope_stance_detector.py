"""The detector with trope × stance in its bundle: a bundle like the shipped one, with a stance
model fitted here on the written training posts (as `tropewatch train --claims` fits it) and
the rule that command chose on dev for model candidate 2026.12.1."""

import json
import shutil

import numpy as np
import pytest

from tropewatch.detector.bundle import DETECTOR_DIR, TRANSFORMER_DIR, BundleMismatchError
from tropewatch.detector.claims import load_claim_bank
from tropewatch.detector.encoder import load_encoder
from tropewatch.detector.lexicon import load_lexicon
from tropewatch.detector.pipeline import Detector, analyse
from tropewatch.detector.stance import KIND_STANCE
from tropewatch.detector.training.train_claims import WRITTEN_TRAIN, fit_stance, load_written_train
from tropewatch.detector.trope_stance import claim_inputs

from .bundles import edited_bundle

RULE = {"similarity": 0.55, "endorse": 0.8, "base_floor": 0.05, "cleared_similarity": 0.5,
        "cleared_endorse": 0.8}
ASSERTION = "You can never trust a Jewish MP. Their first loyalty is always to Israel."
REFUTATION = "No, Jewish MPs are not loyal to Israel first — that's an old antisemitic slur."


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    root = tmp_path_factory.mktemp("bundle")
    detector_dir = root / "detector"
    shutil.copytree(DETECTOR_DIR, detector_dir)
    (root / "transformer").symlink_to(TRANSFORMER_DIR)
    shipped = Detector(DETECTOR_DIR)
    posts = load_written_train(WRITTEN_TRAIN)
    analyses = analyse([p.text for p in posts], shipped.ngram, None, load_lexicon())
    encoder = load_encoder()
    inputs = claim_inputs([p.text for p in posts], [a.cues for a in analyses],
                          [a.features for a in analyses], encoder, load_claim_bank(encoder))
    fit_stance(np.array([item[1] for item in inputs]),
               [KIND_STANCE[p.kind] for p in posts], 3.0).save(detector_dir / "stance.npz")
    meta = json.loads((detector_dir / "meta.json").read_text(encoding="utf-8"))
    meta["claims"] = {"bank_version": load_claim_bank(encoder).version, "rule": RULE}
    (detector_dir / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return detector_dir


def test_a_dual_loyalty_assertion_is_flagged_with_its_category_and_sentence(bundle):
    verdict = Detector(bundle).verdicts([ASSERTION])[0]

    assert verdict.antisemitic
    assert [c.id for c in verdict.categories] == ["dual_loyalty"]
    claim_span = next(s for s in verdict.spans if s.entry == "claim")
    assert claim_span.term == "Their first loyalty is always to Israel."
    assert ASSERTION[claim_span.start:claim_span.end] == claim_span.term
    assert verdict.claim.stance == "endorse" and verdict.claim.category == "dual_loyalty"
    assert "asserts a trope (Dual loyalty accusations, IHRA example 6)" in verdict.explanation


def test_its_refutation_is_not_flagged_and_says_why(bundle):
    verdict = Detector(bundle).verdicts([REFUTATION])[0]

    assert not verdict.antisemitic
    assert verdict.claim.category == "dual_loyalty" and verdict.claim.stance == "reject"
    assert "in order to reject it" in verdict.explanation


def test_a_post_without_group_or_claim_words_is_still_cleared_before_any_model(bundle):
    verdict = Detector(bundle).verdicts(["The bus to Leeds was late again."])[0]

    assert not verdict.antisemitic and verdict.claim is None
    assert "mentions nothing about Jews" in verdict.explanation


def test_a_bundle_with_neither_the_stage_nor_claim_naming_gives_no_claim(tmp_path):
    bundle = edited_bundle(tmp_path, lambda meta: meta.pop("claim_naming"))

    verdict = Detector(bundle).verdicts([ASSERTION])[0]

    assert verdict.antisemitic and verdict.claim is None
    assert [c.id for c in verdict.categories] == ["general_antisemitism"]


def test_a_bundle_trained_with_another_claim_bank_is_refused(bundle, tmp_path):
    other = edited_bundle(tmp_path, lambda meta: meta["claims"].update(
        bank_version="2020.1.1"), source=bundle)

    with pytest.raises(BundleMismatchError, match="claim bank 2020.1.1"):
        Detector(other)
