from tropewatch.detector import detect
from tropewatch.detector.lexicon import load_lexicon
from tropewatch.detector.normalize import normalize
from tropewatch.detector.relevance import is_relevant


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
