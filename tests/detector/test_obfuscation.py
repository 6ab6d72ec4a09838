"""Evasions do not get a flagged post past the detector, and its spans still point at the
obfuscated words in the text as posted (property tests over random evasions)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tropewatch.detector import detect

# (post, the word to disguise): posts flagged on an explicit trope term
FLAGGED = [
    ("Holohoax. Nobody believes that fairy tale anymore.", "Holohoax"),
    ("They are Christ killers, every one of them.", "killers"),
    ("ZOG runs Washington and the happy merchant laughs.", "merchant"),
    ("Gas the Jews, they deserve it.", "Jews"),
]

LOOKALIKES = {"a": "а", "e": "е", "o": "о", "c": "с", "p": "р", "x": "х", "i": "і"}
LEET = {"o": "0", "e": "3", "i": "1", "a": "4", "s": "5"}
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060"]


@st.composite
def disguised(draw, word: str) -> str:
    way = draw(st.sampled_from(["lookalike", "leet", "zero_width", "dotted", "stretched", "case"]))
    letters = list(word)
    if way == "lookalike":
        return "".join(LOOKALIKES.get(c, c) if draw(st.booleans()) else c for c in letters)
    if way == "leet":
        # keep the first letter: leet at the start of a word is not undone (protects "4chan")
        return letters[0] + "".join(LEET.get(c, c) if draw(st.booleans()) else c
                                    for c in letters[1:])
    if way == "zero_width":
        return "".join(c + (draw(st.sampled_from(ZERO_WIDTH)) if i < len(letters) - 1 else "")
                       for i, c in enumerate(letters))
    if way == "dotted":
        return draw(st.sampled_from([".", " ", "-"])).join(letters)
    if way == "stretched":
        i = draw(st.integers(1, len(letters) - 1))
        return word[:i] + word[i] * draw(st.integers(2, 4)) + word[i + 1:]
    return "".join(c.upper() if draw(st.booleans()) else c.lower() for c in letters)


@pytest.mark.parametrize(("post", "word"), FLAGGED)
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_disguised_trope_term_is_still_flagged_and_located(post, word, data):
    assert detect(post).antisemitic, "precondition: the plain post is flagged"
    disguise = data.draw(disguised(word))
    text = post.replace(word, disguise, 1)
    start = text.index(disguise)
    end = start + len(disguise)

    verdict = detect(text)

    assert verdict.antisemitic, (text, verdict)
    assert any(s.start <= start and end <= s.end for s in verdict.spans), (text, verdict.spans)
    assert all(text[s.start:s.end] == s.term for s in verdict.spans)
