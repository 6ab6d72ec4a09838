"""The rule that turns a claim and a stance into a flag."""

import pytest

from tropewatch.detector.claims import ClaimMatch
from tropewatch.detector.trope_stance import ClaimReading, ClaimRule, with_claims

RULE = ClaimRule(similarity=0.5, endorse=0.7, base_floor=0.05, cleared_similarity=0.6,
                 cleared_endorse=0.9)


def _reading(similarity: float, endorse: float) -> ClaimReading:
    return ClaimReading(ClaimMatch("dual_loyalty", "claim", similarity, 0, 5), "endorse",
                        endorse)


@pytest.mark.parametrize(("similarity", "endorse", "relevant", "base", "asserts"), [
    (0.55, 0.75, True, 0.10, True),
    (0.45, 0.75, True, 0.10, False),  # not close enough to any claim
    (0.55, 0.65, True, 0.10, False),  # not endorsed surely enough
    (0.55, 0.75, True, 0.01, False),  # the cascade finds it plainly harmless
    (0.65, 0.95, False, 0.00, True),  # cleared by the relevance gate: closer and surer
    (0.55, 0.95, False, 0.00, False),
    (0.65, 0.80, False, 0.00, False),
])
def test_a_claim_is_asserted_only_within_every_bound(similarity, endorse, relevant, base,
                                                     asserts):
    assert RULE.asserts(_reading(similarity, endorse), relevant, base) is asserts


def test_an_asserted_claim_raises_the_score_to_its_endorsement_and_never_lowers_it():
    assert with_claims(0.10, _reading(0.55, 0.75), True, RULE) == 0.75
    assert with_claims(0.90, _reading(0.55, 0.75), True, RULE) == 0.90
    assert with_claims(0.10, _reading(0.45, 0.75), True, RULE) == 0.10
    assert with_claims(0.10, None, True, RULE) == 0.10


def test_a_post_is_said_to_discuss_a_claim_by_similarity_alone():
    assert RULE.discusses(_reading(0.5, 0.01))
    assert not RULE.discusses(_reading(0.49, 0.99))
    assert not RULE.discusses(None)


def test_the_rule_round_trips_through_json():
    assert ClaimRule.from_json(RULE.to_json()) == RULE
