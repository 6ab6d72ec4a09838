"""Slurs for other groups beside a reference to Jews: a combiner feature, never a span."""

import pytest

from tropewatch.detector import detect
from tropewatch.detector.hostility import MAX_COUNTED, slurs_beside_jews
from tropewatch.detector.normalize import normalize


def count(text: str) -> int:
    return slurs_beside_jews(normalize(text).text)


@pytest.mark.parametrize(("text", "expected"), [
    ("fat jews better hope a wetback engineer did not design it", 1),
    ("women niggers spics jews arabs and boomers also vote", 2),
    ("sand niggers dying for muh izrul goyim", 1),  # one slur, not two
    ("the n1ggers and the jewish lobby", 1),  # leetspeak is undone first
    ("hymies and spics run this city", 1),  # a slur for Jews is a reference to Jews
])
def test_slurs_beside_a_jewish_reference_are_counted(text, expected):
    assert count(text) == expected


@pytest.mark.parametrize("text", [
    "the niggers are ruining this town",  # hate, but no Jewish reference
    "Jews and Spicer met at the synagogue",  # "spic" inside a word
    "Shabbat shalom from the Jewish Museum",
])
def test_nothing_is_counted_without_both(text):
    assert count(text) == 0


def test_the_count_is_capped():
    assert count("jews " + "faggots spics chinks retards " * 5) == MAX_COUNTED


def test_the_slur_never_becomes_a_span_of_antisemitism():
    verdict = detect("those spics and the kikes again")
    assert [span.term for span in verdict.spans] == ["kikes"]
