from hypothesis import given
from hypothesis import strategies as st

from tropewatch.detector import detect
from tropewatch.detector.lexicon import load_lexicon
from tropewatch.detector.normalize import normalize
from tropewatch.detector.relevance import STEMS, is_relevant, mentions_a_stem


def _relevant(text: str) -> bool:
    normalized = normalize(text)
    return is_relevant(normalized, load_lexicon().find(normalized))


def test_posts_about_nothing_relevant_are_cleared_without_the_models():
    verdict = detect("Great match last night, the keeper saved two penalties!")
    assert not verdict.antisemitic and not verdict.spans and not verdict.categories
    assert "mentions nothing" in verdict.explanation


def test_evasions_do_not_get_a_post_past_the_gate():
    assert _relevant("the J.e.w.s are behind it")
    assert _relevant("the јеws are behind it")  # Cyrillic look-alike letters
    assert _relevant("(((they))) run everything")


def test_codes_the_lexicon_knows_keep_a_post_even_without_a_relevant_word():
    assert _relevant("ZOG runs Washington")
    assert not _relevant("They run Washington")


def test_insinuations_that_name_nobody_reach_the_models():
    # The shapes of the written training assertions the gate used to clear.
    assert _relevant("They own the banks, the press and the politicians. Who owns the BBC?")
    assert _relevant("Every crooked deal in this town has the same surname pattern.")
    assert _relevant("Typhus killed them, not gas. The rest was made up afterwards.")
    assert _relevant("Which anthem do you stand for first, councillor? 🇬🇧 or 🇮🇱")
    assert not _relevant("Who won the match? We were all over them in the second half.")


@given(st.lists(st.one_of(st.sampled_from(STEMS), st.text(max_size=12)), max_size=6)
       .map("".join))
def test_the_stem_automaton_finds_exactly_the_stems_a_substring_test_finds(text):
    assert mentions_a_stem(text) == any(stem in text for stem in STEMS)


def test_a_stem_anywhere_in_a_word_counts():
    assert mentions_a_stem("antizionist")  # "zion" inside
    assert mentions_a_stem("endsin(((")
    assert not mentions_a_stem("a perfectly ordinary post about football")
