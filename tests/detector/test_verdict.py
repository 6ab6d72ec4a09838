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
