"""An organisation's head on the shipped model: fitting it on decisions, and applying it."""

from __future__ import annotations

import numpy as np
import pytest

from tropewatch.detector.adaptation import OrgHead, head_feature_names
from tropewatch.detector.policy import GENERAL_CATEGORY
from tropewatch.detector.taxonomy import load_taxonomy
from tropewatch.detector.training.adapt import TooFewDecisions, best_f1_threshold, fit_head
from tropewatch.detector.verdict import CategoryScore, ClaimFound, Span, Verdict

BASE = "2026.11.6"


def verdict(score: float, category: str | None = "dual_loyalty", flagged: bool | None = None,
            counter_speech: float = 0.0, version: str = BASE) -> Verdict:
    categories = [CategoryScore(category, category, score, None)] if category else []
    spans = [Span(0, 4, "word", category, "entry")] if category else []
    return Verdict(antisemitic=score >= 0.5 if flagged is None else flagged, score=score,
                   categories=categories, spans=spans, counter_speech=counter_speech,
                   explanation="shipped", policy="ihra", model_version=version)


def head(coef: dict[str, float], intercept: float = 0.0, threshold: float = 0.5) -> OrgHead:
    names = head_feature_names(load_taxonomy())
    return OrgHead(f"{BASE}+campaign.1", BASE, tuple(coef.get(n, 0.0) for n in names),
                   intercept, threshold, load_taxonomy().version)


def test_a_head_that_distrusts_a_category_unflags_its_posts_and_says_so():
    distrusting = head({"score_logit": 1.0, "category:collective_responsibility_israel": -5.0})
    flagged = verdict(0.8, "collective_responsibility_israel")

    adapted = distrusting.apply(flagged)

    assert flagged.antisemitic and not adapted.antisemitic
    assert adapted.score < 0.05
    assert adapted.model_version == f"{BASE}+campaign.1"
    assert adapted.explanation.startswith(f"Not flagged (score {adapted.score:.2f})")
    # The category's score moves with the post's (it was the post's score before).
    assert adapted.categories[0].score == pytest.approx(adapted.score, abs=1e-4)
    assert adapted.spans == flagged.spans


def test_a_post_pushed_over_the_threshold_without_a_category_gets_the_general_one():
    trusting = head({"score_logit": 1.0}, intercept=4.0)
    # Read by the model (it found a claim it did not take as endorsed), no category named.
    unflagged = Verdict(antisemitic=False, score=0.3, policy="ihra", model_version=BASE,
                        claim=ClaimFound("dual_loyalty", "c", 0.7, "neutral", 0.2, 0, 5))

    adapted = trusting.apply(unflagged)

    assert adapted.antisemitic
    assert [c.id for c in adapted.categories] == [GENERAL_CATEGORY]


def test_posts_the_model_did_not_read_keep_their_verdict_under_the_heads_version():
    cleared = Verdict(antisemitic=False, score=0.01, explanation="Not flagged: mentions nothing",
                      model_version=BASE)

    adapted = head({"score_logit": 1.0}, intercept=9.0).apply(cleared)

    assert (adapted.antisemitic, adapted.score, adapted.explanation) == (
        False, 0.01, cleared.explanation)
    assert adapted.model_version == f"{BASE}+campaign.1"


def test_a_head_refuses_verdicts_of_another_model():
    with pytest.raises(ValueError, match="adapt again after a model update"):
        head({"score_logit": 1.0}).apply(verdict(0.8, version="2027.1.1"))


def test_a_head_survives_json():
    original = head({"score_logit": 1.3, "counter_speech": -2.0}, 0.4, 0.37)

    assert OrgHead.from_json(original.to_json()) == original


def decisions_where_moderators_dismiss_one_category(n: int, seed: int = 0):
    """Verdicts flagging dual loyalty and collective responsibility alike, and moderators who
    confirm the first and dismiss most of the second (an organisation applying the JDA, say)."""
    rng = np.random.default_rng(seed)
    verdicts, labels = [], []
    for i in range(n):
        category = "dual_loyalty" if i % 2 else "collective_responsibility_israel"
        score = float(rng.uniform(0.3, 0.95))
        verdicts.append(verdict(score, category))
        confirmed = score > 0.45 if category == "dual_loyalty" else rng.uniform() < 0.1
        labels.append(int(confirmed))
    return verdicts, labels


def test_fitting_learns_what_the_moderators_dismiss_and_reports_it_held_out():
    verdicts, labels = decisions_where_moderators_dismiss_one_category(200)

    adapted = fit_head(verdicts, labels, f"{BASE}+campaign.1")

    assert adapted.decisions == 200 and adapted.confirmed + adapted.dismissed == 200
    assert adapted.adapted.f1 > adapted.shipped.f1 + 0.2
    collective = adapted.head.apply(verdict(0.9, "collective_responsibility_israel"))
    loyalty = adapted.head.apply(verdict(0.9, "dual_loyalty"))
    assert loyalty.antisemitic and not collective.antisemitic


def test_fitting_refuses_too_few_decisions_and_says_how_many_it_needs():
    verdicts, labels = decisions_where_moderators_dismiss_one_category(40)

    with pytest.raises(TooFewDecisions, match="40 decisions on posts the model read.*at least 50"):
        fit_head(verdicts, labels, f"{BASE}+campaign.1")


def test_fitting_refuses_when_one_kind_of_decision_is_missing():
    verdicts = [verdict(0.9) for _ in range(60)]

    with pytest.raises(TooFewDecisions, match="60 confirmed, 0 dismissed"):
        fit_head(verdicts, [1] * 60, f"{BASE}+campaign.1")


def test_decisions_on_posts_the_model_did_not_read_are_counted_apart():
    verdicts, labels = decisions_where_moderators_dismiss_one_category(60)
    cleared = [Verdict(antisemitic=False, score=0.01, model_version=BASE)] * 5

    adapted = fit_head(verdicts + cleared, labels + [1] * 5, f"{BASE}+campaign.1")

    assert (adapted.decisions, adapted.unread) == (60, 5)


def test_the_threshold_is_the_middle_of_the_best_plateau():
    scores = np.array([0.1, 0.2, 0.6, 0.9])
    labels = np.array([0, 0, 1, 1])

    # Every threshold in (0.2, 0.6] separates them perfectly; 0.41 is that stretch's middle.
    assert best_f1_threshold(scores, labels) == pytest.approx(0.41)
