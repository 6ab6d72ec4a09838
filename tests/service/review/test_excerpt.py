"""The console's ``excerpt`` filter says what Django's ``truncatechars`` says."""

from django.template import engines
from hypothesis import given, settings
from hypothesis import strategies as st

TRUNCATECHARS = engines["django"].from_string("{{ value|truncatechars:limit }}")
EXCERPT = engines["django"].from_string("{% load excerpts %}{{ value|excerpt:limit }}")

# Combining marks (not counted), letters that NFC composes with them, and markup to escape.
TEXTS = st.text(alphabet=st.sampled_from("ae\u0301\u0308\u200dé<>&\"' xyz🙂\n"), max_size=40)


def both(value, limit) -> tuple[str, str]:
    context = {"value": value, "limit": limit}
    return EXCERPT.render(context), TRUNCATECHARS.render(context)


@settings(max_examples=500, deadline=None)
@given(TEXTS, st.integers(min_value=-2, max_value=45))
def test_it_cuts_as_truncatechars_does(value, limit):
    ours, django_s = both(value, limit)
    assert ours == django_s


def test_a_long_post_is_cut_with_an_ellipsis_and_escaped():
    ours, django_s = both("<b>" + "x" * 300, 240)
    assert ours == django_s
    assert ours.startswith("&lt;b&gt;") and ours.endswith("…")


def test_a_limit_that_is_not_a_number_leaves_the_text_whole():
    assert both("some words", "many") == ("some words", "some words")
