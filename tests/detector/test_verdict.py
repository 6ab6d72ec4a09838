"""A verdict survives the trip through JSON that the CLI, the web service and workers use."""

import json

from tropewatch.detector import detect
from tropewatch.detector.verdict import Verdict


def test_a_verdict_round_trips_through_json_with_its_categories_and_spans():
    verdict = detect("The Jews control the banks and the media, wake up.")
    assert verdict.categories and verdict.spans, "precondition: something to carry"

    data = json.loads(json.dumps(verdict.to_dict()))

    assert Verdict.from_dict(data) == verdict
    assert data["spans"][0]["term"] == verdict.spans[0].term
    assert data["categories"][0]["id"] == verdict.categories[0].id


def test_a_verdict_round_trips_with_the_claim_it_discusses():
    from tropewatch.detector.verdict import ClaimFound

    claim = ClaimFound("dual_loyalty", "Their first loyalty is to Israel.", 0.91, "reject",
                       0.04, 3, 40)
    verdict = Verdict(antisemitic=False, score=0.02, claim=claim)

    data = json.loads(json.dumps(verdict.to_dict()))

    assert data["claim"]["stance"] == "reject" and data["claim"]["start"] == 3
    assert Verdict.from_dict(data) == verdict
    assert Verdict.from_dict(json.loads(json.dumps(Verdict(False, 0.1).to_dict()))).claim is None


def test_a_post_longer_than_the_detector_reads_is_cut_and_the_verdict_says_so():
    from tropewatch.detector.pipeline import MAX_TEXT_CHARS, load_detector

    myth = "The Rothschilds own the banks. "
    long_post = myth + "x" * (13 * 1024 * 1024)

    verdict, short = load_detector().verdicts([long_post, myth])

    assert verdict.read_chars == MAX_TEXT_CHARS and short.read_chars is None
    assert verdict.explanation.endswith(f"Only the first {MAX_TEXT_CHARS:,} characters were read.")
    assert verdict.antisemitic and verdict.spans[0].term == "The Rothschilds own the banks"
    assert Verdict.from_dict(json.loads(json.dumps(verdict.to_dict()))) == verdict
