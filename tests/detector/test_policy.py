import pytest

from tropewatch.detector.policy import UnknownPolicyError, check_policy, decide
from tropewatch.detector.taxonomy import load_taxonomy


def test_a_category_outside_the_policy_does_not_make_a_post_antisemitic():
    counted = load_taxonomy().counts_under("ihra-core")
    assert not decide(0.95, 0.5, ["nazi_analogy"], counted)
    assert decide(0.95, 0.5, ["nazi_analogy"], load_taxonomy().counts_under("ihra"))


def test_nothing_is_antisemitic_below_the_threshold():
    counted = load_taxonomy().counts_under("ihra")
    assert not decide(0.49, 0.5, ["holocaust_denial"], counted)


def test_the_general_category_counts_under_every_policy():
    for policy in ("ihra", "ihra-core", "jda"):
        assert decide(0.9, 0.5, ["general_antisemitism"], load_taxonomy().counts_under(policy))


def test_an_unknown_policy_is_a_clear_error():
    with pytest.raises(UnknownPolicyError, match="ihra-core"):
        check_policy("ihra2")
