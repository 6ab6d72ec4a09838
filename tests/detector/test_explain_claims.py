"""The explanation names the claim a post discusses and its stance towards it."""

from tropewatch.detector.explain import explanation
from tropewatch.detector.taxonomy import load_taxonomy
from tropewatch.detector.verdict import CategoryScore, ClaimFound, Span

SENTENCE = "Their first loyalty is always to Israel."


def _explain(flagged: bool, stance: str) -> str:
    claim = ClaimFound("dual_loyalty", "Their first loyalty is to Israel.", 0.95, stance,
                       0.97 if stance == "endorse" else 0.02, 10, 10 + len(SENTENCE))
    span = Span(10, 10 + len(SENTENCE), SENTENCE, "dual_loyalty", "claim")
    categories = [CategoryScore("dual_loyalty", "Dual loyalty accusations", 0.97, 6)]
    return explanation(flagged, flagged, 0.97 if flagged else 0.02, categories, [span], 0.0,
                       "ihra", claim, load_taxonomy())


def test_an_endorsed_claim_is_named_with_its_ihra_example_and_the_sentence():
    assert _explain(True, "endorse") == (
        "Likely antisemitic (score 0.97): asserts a trope (Dual loyalty accusations, IHRA "
        "example 6): “Their first loyalty is always to Israel.”")


def test_a_refutation_says_it_discusses_the_trope_to_reject_it():
    assert _explain(False, "reject") == (
        "Not flagged (score 0.02): discusses a trope (Dual loyalty accusations, IHRA example "
        "6) in order to reject it: “Their first loyalty is always to Israel.”")


def test_a_quote_and_a_news_report_say_so():
    assert "quotes a trope (Dual loyalty accusations" in _explain(False, "quote")
    assert "reports on a trope (Dual loyalty accusations" in _explain(False, "report")
