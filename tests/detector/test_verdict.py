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
