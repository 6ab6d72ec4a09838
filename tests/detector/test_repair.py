"""Repairing exported text: escapes, HTML entities and mojibake, with offsets kept."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tropewatch.detector.floors import inside_quotes
from tropewatch.detector.lexicon import load_lexicon
from tropewatch.detector.normalize import normalize
from tropewatch.detector.repair import repair, repair_with_offsets


def mojibake(text: str) -> str:
    """What a UTF-8 export looks like when it is read as Windows-1252 (the bytes that
    code page leaves undefined come through as C1 controls, as in the ISCA tweets)."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b)
                   for b in text.encode("utf-8"))


@pytest.mark.parametrize("clean", [
    "It’s “them” again", "🔥 القدس", "Orbán’s ally", "Skandują", "▪️Invade", "café ☕",
])
def test_mojibake_is_undone(clean):
    damaged = "".join(mojibake(char) if ord(char) > 0x7f else char for char in clean)
    assert damaged != clean
    assert repair(damaged) == clean


@pytest.mark.parametrize(("damaged", "clean"), [
    ("one\\ntwo\\tthree", "one\ntwo\tthree"),
    ("Tom &amp; Jerry &quot;quoted&quot; &#39;x&#39; &#x263A; &lt;3",
     "Tom & Jerry \"quoted\" 'x' ☺ <3"),
])
def test_escapes_and_entities_are_undone(damaged, clean):
    assert repair(damaged) == clean


@pytest.mark.parametrize("text", [
    "café, naïve, Zürich, São Paulo, Ørsted, ¿Qué?, £5, I ♥ NY",
    "Ã on its own, Ø § apart, Ã followed by a letter",
    "a & b; AT&T; &unknownentity; \\x and \\\\",
    "plain ascii",
])
def test_sound_text_is_left_alone(text):
    assert repair(text) == text
    assert repair_with_offsets(text) is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab \\n&amp;quot#39;âÃ€œ™©Ø§ðŸ”¥\x9d", max_size=60))
def test_offsets_cover_the_input_in_order(text):
    result = repair_with_offsets(text)
    if result is None:
        assert repair(text) == text
        return
    fixed, starts, ends = result
    assert fixed == repair(text)
    assert len(starts) == len(ends) == len(fixed)
    assert list(starts) == sorted(starts) and list(ends) == sorted(ends)
    for char, start, end in zip(fixed, starts, ends, strict=True):
        assert 0 <= start < end <= len(text)
        if end - start == 1:
            assert text[start] == char  # copied through untouched


def test_a_match_in_a_damaged_post_points_at_the_original_characters():
    post = mojibake("He wrote “") + "the jews control the media" + mojibake("” ") + "\\nKikes"
    matches = load_lexicon().find(normalize(post))
    assert sorted(post[m.start:m.end] for m in matches) == ["Kikes", "the jews control the media"]


@pytest.mark.parametrize("post", [
    "he said &quot;the jews control the media&quot; and I reported it",
    mojibake("he said “the jews control the media” and I reported it"),
])
def test_quotation_marks_are_seen_through_the_damage(post):
    start = post.index("the jews")
    assert inside_quotes(post, start, start + len("the jews control the media"))
