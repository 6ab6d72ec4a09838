import time
import tracemalloc
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tropewatch.detector.normalize import (
    CONFUSABLES,
    EMOJI_WORDS,
    NormalizedText,
    mask_identifiers,
    normalize,
)


def original_of(normalized: NormalizedText, word: str) -> str:
    """The original text behind the first occurrence of ``word`` in the normalised text."""
    start = normalized.text.index(word)
    original_start, original_end = normalized.to_original(start, start + len(word))
    return normalized.original[original_start:original_end]


def test_it_lowercases_ascii_and_maps_each_character_to_itself():
    normalized = normalize("Hello World")
    assert normalized.text == "hello world"
    assert list(normalized.starts) == list(range(11))
    assert list(normalized.ends) == list(range(1, 12))


def test_a_ligature_expands_and_both_letters_map_to_the_ligature():
    normalized = normalize("\ufb01ne")  # "ﬁne"
    assert normalized.text == "fine"
    assert list(normalized.starts[:2]) == [0, 0]
    assert list(normalized.ends[:2]) == [1, 1]
    assert normalized.to_original(0, 1) == (0, 1)


def test_casefolding_expands_sharp_s_onto_one_original_character():
    normalized = normalize("Straße")
    assert normalized.text == "strasse"
    assert original_of(normalized, "ss") == "ß"


@pytest.mark.parametrize(
    "styled",
    ["\U0001d409\U0001d41e\U0001d430\U0001d42c", "ＪＥＷＳ", "ⓙⓔⓦⓢ", "ᴊᴇᴡs", "Jéws", "JEWS"],
)
def test_styled_and_accented_letters_become_plain_latin(styled):
    normalized = normalize(styled)
    assert normalized.text == "jews"
    assert original_of(normalized, "jews") == styled


@pytest.mark.parametrize(("lookalike", "latin"), sorted(CONFUSABLES.items()))
def test_every_confusable_in_the_table_normalises_to_its_latin_letter(lookalike, latin):
    assert normalize(lookalike).text == latin


def test_cyrillic_and_greek_lookalikes_spell_the_latin_word():
    assert normalize("Јеws").text == "jews"  # Cyrillic Je and ie
    assert normalize("ΖΟG").text == "zog"  # Greek capital Zeta and Omicron
    assert normalize("кіке").text == "kike"


@pytest.mark.parametrize(
    "invisible",
    ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\u2063", "\ufeff", "\u00ad",
     "\u202a", "\u202e", "\u2066", "\u2069", "\u3164"],
)
def test_invisible_and_bidi_characters_are_removed_but_stay_inside_the_match(invisible):
    text = f"say j{invisible}e{invisible}ws now"
    normalized = normalize(text)
    assert normalized.text == "say jews now"
    assert original_of(normalized, "jews") == f"j{invisible}e{invisible}ws"


def test_zalgo_marks_are_removed_and_the_span_keeps_the_trailing_marks():
    zalgo = "J\u0337\u0322e\u0334w\u0338s\u0336\u0335"
    normalized = normalize(f"{zalgo} again")
    assert normalized.text == "jews again"
    assert original_of(normalized, "jews") == zalgo


@pytest.mark.parametrize(
    ("leet", "plain"),
    [("k1ke", "kike"), ("j3ws", "jews"), ("$oros", "soros"), ("z0g", "zog"), ("k!ke", "kike"),
     ("jew$", "jews"), ("j00s", "joos"), ("k|ke", "kike"), ("gl0b@list", "globalist"),
     ("sh7l0ck", "shtlock"), ("J3W5", "jews")],
)
def test_leetspeak_inside_words_becomes_letters(leet, plain):
    normalized = normalize(f"the {leet}!")
    assert normalized.text == f"the {plain}!"
    assert original_of(normalized, plain) == leet


@pytest.mark.parametrize(
    "kept",
    ["88", "1488", "14/88", "109", "h8", "4chan", "1st", "covid19", "@soros", "jews!!!", "$100",
     "7-2", "2026"],
)
def test_numbers_mentions_and_punctuation_are_not_leetspeak(kept):
    assert normalize(f"about {kept} today").text == f"about {kept} today"


@pytest.mark.parametrize(
    ("split", "joined"),
    [("J.e.w.s", "jews"), ("j e w s", "jews"), ("J-E-W-S", "jews"), ("j_e_w_s", "jews"),
     ("k*i*k*e", "kike"), ("j 3 w s", "jews"), ("z.0.g", "zog"), ("$ o r o s", "soros")],
)
def test_letters_split_by_separators_are_joined(split, joined):
    normalized = normalize(f"those {split} again")
    assert normalized.text == f"those {joined} again"
    assert original_of(normalized, joined) == split


def test_differently_separated_words_stay_apart():
    assert normalize("J-E-W-S k*i*k*e").text == "jews kike"


@pytest.mark.parametrize("word", ["jews", "jewish", "kikes", "holocaust", "zionist", "israel"])
@settings(max_examples=30, derandomize=True)
@given(data=st.data())
def test_words_censored_with_asterisks_are_filled_in(word, data):
    # any letters after the first may be starred, as long as two stay visible
    starred = data.draw(st.sets(st.integers(1, len(word) - 1), min_size=1,
                                max_size=len(word) - 2))
    censored = "".join("*" if i in starred else c for i, c in enumerate(word))
    normalized = normalize(f"the {censored.upper()} again")
    assert normalized.text == f"the {word} again"
    assert original_of(normalized, word) == censored.upper()


@pytest.mark.parametrize("kept", ["f*ck them", "j**", "what a j*mp", "5*3 = 15", "*jews"])
def test_starred_words_that_fit_no_listed_word_stay(kept):
    assert normalize(kept).text == kept


@pytest.mark.parametrize(
    "ordinary",
    ["a b testing", "e.g. a big deal", "plan B or plan C", "x y", "i.e. a list", "1 2 3 4",
     "vitamin a, b and c"],
)
def test_ordinary_single_letters_are_not_joined(ordinary):
    assert normalize(ordinary).text == ordinary.lower()


@pytest.mark.parametrize(("emoji", "word"), sorted(EMOJI_WORDS.items()))
def test_each_emoji_in_the_table_becomes_its_word(emoji, word):
    normalized = normalize(f"x{emoji}y")
    assert normalized.text == f"x {word} y"
    assert original_of(normalized, word) == emoji


def test_a_variation_selector_is_dropped_into_the_emoji_span():
    normalized = normalize("Soros\u2721\ufe0f")
    assert normalized.text == "soros jew "
    assert original_of(normalized, "jew ") == "\u2721\ufe0f"


@pytest.mark.parametrize(
    "echo",
    ["(((Soros)))", "( ( ( soros ) ) )", "（（（Soros）））", "((( Soros )))", "((((Soros))))",
     "\u2768\u2768\u2768Soros\u2769\u2769\u2769", "( ((Soros)) )"],
)
def test_triple_parenthesis_echoes_are_canonicalised(echo):
    normalized = normalize(f"ask {echo} why")
    assert normalized.text == "ask (((soros))) why"
    assert original_of(normalized, "(((soros)))") == echo


def test_the_echoed_name_keeps_its_inner_spaces():
    assert normalize("((( George  Soros )))").text == "(((george  soros)))"


@pytest.mark.parametrize("not_an_echo", ["(a) ((b))", "((( )))", "((( a ))", "f((x)))"])
def test_fewer_than_three_parentheses_or_no_name_is_not_an_echo(not_an_echo):
    assert normalize(not_an_echo).text == not_an_echo


def test_to_original_maps_empty_spans_and_rejects_spans_outside_the_text():
    normalized = normalize("a\u200bb")
    assert normalized.text == "ab"
    assert normalized.to_original(1, 1) == (2, 2)
    assert normalized.to_original(2, 2) == (3, 3)
    with pytest.raises(ValueError, match="outside"):
        normalized.to_original(1, 3)
    with pytest.raises(ValueError, match="outside"):
        normalized.to_original(2, 1)


def test_a_lone_surrogate_does_not_crash_normalisation():
    assert normalize("ab\ud800cd").text == "ab\ud800cd"


@pytest.mark.parametrize(
    "hostile",
    ["(" * 50_000, "( " * 25_000, "((( " + "a " * 25_000, "a." * 25_000, "k1" * 25_000,
     "x" * 50_000 + "1", "\u0301" * 50_000, "((( " + "a" * 79 + " )))" * 500,
     "Ã€" * 25_000, "&#" * 25_000, "&amp;" * 10_000, "\\n" * 25_000],
)
def test_hostile_inputs_normalise_in_linear_time(hostile):
    started = time.perf_counter()
    normalize(hostile)
    assert time.perf_counter() - started < 5  # quadratic behaviour would take minutes


# One stretch of a post with something for every stage: export damage (an entity, a literal
# "\n", mojibake), accents, look-alikes, an emoji, leetspeak, spaced-out letters, an echo.
LONG_POST_STRETCH = (
    "The j.e.w.s control the b4nks, said (((Soros))) \U0001f4b0. Caf\u00e9 na\u00efve "
    "\u2014 \u201cquoted\u201d k1ke &amp; it\u2019s \\n \u00e2\u20ac\u2122 \u0436\u0435\u0432 "
)


def test_normalising_a_long_post_takes_a_small_constant_of_memory_per_character():
    text = (LONG_POST_STRETCH * (300_000 // len(LONG_POST_STRETCH) + 1))[:300_000]
    tracemalloc.start()
    try:
        normalized = normalize(text)
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(normalized.text) > 270_000
    # With offset maps of 4-byte ints this post takes 10 bytes a character to keep and 28 at
    # the peak; with tuples of ints it took 75 and 164. One more list of offsets would add 36.
    assert peak / len(text) < 40
    assert held / len(text) < 16


def assert_offsets_are_consistent(text: str) -> None:
    normalized = normalize(text)
    assert normalized.original == text
    assert len(normalized.starts) == len(normalized.ends) == len(normalized.text)
    assert list(normalized.starts) == sorted(normalized.starts)
    assert list(normalized.ends) == sorted(normalized.ends)
    for start, end in zip(normalized.starts, normalized.ends, strict=True):
        assert 0 <= start < end <= len(text)


# Characters that exercise every rewrite: look-alikes, marks, invisibles, leet, separators.
TRICKY = (
    "abcdejkoswzJ" + "".join(CONFUSABLES) + "".join(EMOJI_WORDS) + "\ufe0f\u0301\u0336"
    + "\u200b\u202e\u00ad\ufb01ß0134578@$!| ._-*()（）\n"
    + "\\&;#âÃ€œ™©"  # damage that repair.py undoes before folding
)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=TRICKY, max_size=80))
def test_offsets_are_complete_monotonic_and_in_bounds(text):
    assert_offsets_are_consistent(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=80))
def test_normalize_never_raises_on_any_text(text):
    assert_offsets_are_consistent(text)


def test_no_capital_latin_letter_survives_normalisation_anywhere_in_the_bmp():
    text = "".join(
        chr(code) for code in range(0x20, 0x10000) if unicodedata.category(chr(code)) != "Cs"
    )
    folded = normalize(text).text
    assert not [char for char in folded if "A" <= char <= "Z"]


def test_it_masks_handles_and_links_so_the_model_cannot_learn_who_posted():
    masked = mask_identifiers("@SomeUser look https://t.co/abc123 and www.example.org")
    assert "SomeUser" not in masked and "t.co" not in masked and "example.org" not in masked
