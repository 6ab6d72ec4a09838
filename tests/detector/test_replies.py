from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tropewatch.detector.lexicon import load_lexicon
from tropewatch.detector.normalize import normalize
from tropewatch.detector.replies import (
    DEFAULT_REPLIES_PATH,
    TONES,
    RepliesError,
    compose_replies,
    load_replies,
    offending_term,
)
from tropewatch.detector.taxonomy import load_taxonomy


@pytest.fixture
def shipped() -> dict:
    return yaml.safe_load(DEFAULT_REPLIES_PATH.read_text(encoding="utf-8"))


def load_edited(tmp_path: Path, data: dict):
    path = tmp_path / "replies.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_replies(path, load_taxonomy(), load_lexicon())


@pytest.mark.parametrize("category", load_taxonomy().categories, ids=lambda c: c.id)
def test_every_taxonomy_entry_has_an_explainer_and_reply_templates(category):
    assert category.explainer and category.history and category.today and category.sources
    assert category.invented_examples
    assert set(load_replies().by_category[category.id]) == set(TONES)


def test_a_category_without_templates_fails_to_load(tmp_path, shipped):
    del shipped["categories"]["nazi_analogy"]
    with pytest.raises(RepliesError, match="no reply templates for nazi_analogy"):
        load_edited(tmp_path, shipped)


def test_a_missing_tone_is_named(tmp_path, shipped):
    del shipped["categories"]["dual_loyalty"]["support"]
    with pytest.raises(RepliesError) as caught:
        load_edited(tmp_path, shipped)
    assert caught.value.field_path == "categories.dual_loyalty"


def test_templates_for_an_unknown_category_fail_to_load(tmp_path, shipped):
    shipped["categories"]["made_up"] = shipped["categories"]["power_control"]
    with pytest.raises(RepliesError, match="not taxonomy categories: made_up"):
        load_edited(tmp_path, shipped)


def test_a_template_that_repeats_a_lexicon_term_fails_to_load(tmp_path, shipped):
    shipped["categories"]["holocaust_denial"]["challenge"] = "Calling it a holohoax is denial."
    with pytest.raises(RepliesError, match="holocaust_denial.challenge: repeats .*holohoax"):
        load_edited(tmp_path, shipped)


def test_a_confirmed_category_gets_a_draft_in_each_tone():
    drafts = compose_replies(["dual_loyalty"], [])
    assert [d.tone for d in drafts] == list(TONES)
    assert [d.label for d in drafts] == [
        "Explain the trope", "Challenge the poster", "Support the person targeted"]
    assert "example 6" in drafts[0].text  # the IHRA example the category falls under


def test_the_explain_draft_covers_the_first_two_categories_only():
    templates = load_replies().by_category
    explain = compose_replies(["power_control", "rothschild_soros", "dual_loyalty"], [])[0]
    assert templates["power_control"]["explain"] in explain.text
    assert templates["rothschild_soros"]["explain"] in explain.text
    assert templates["dual_loyalty"]["explain"] not in explain.text


def test_categories_the_taxonomy_dropped_give_no_drafts():
    assert compose_replies(["retired_category"], ["anything"]) == []


def test_a_sentence_that_repeats_a_span_is_left_out():
    # "Jewish people" is not a slur, but it stands in for any span a template happens to hold.
    drafts = {d.tone: d.text for d in compose_replies(["collective_responsibility_israel"],
                                                      ["JEWISH  people"])}
    assert "jewish people" not in drafts["explain"].casefold()
    assert drafts["explain"].startswith("Blaming them for what it does")


def test_a_draft_with_nothing_left_is_not_offered():
    drafts = compose_replies(["smear_dismissal"], ["your experience counts", "we believe you",
                                                   "is not a plot"])
    assert "support" not in {d.tone for d in drafts}


def _folded(text: str) -> str:
    return " ".join(normalize(text).text.casefold().split())


LEXICON = load_lexicon()
TERMS = sorted({term for entry in LEXICON.entries for term in (*entry.terms, *entry.variants)})
# Words that let contextual entries (which need a nearby word) match as well.
NEARBY = sorted({word for entry in LEXICON.entries for word in entry.requires_nearby})
FILLER = st.lists(st.sampled_from(["the", "they", "said", "again", "today", "!", "...", "lol"]
                                  + NEARBY), max_size=6).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(terms=st.lists(st.sampled_from(TERMS), min_size=1, max_size=3),
       before=FILLER, after=FILLER,
       extra=st.lists(st.sampled_from(load_taxonomy().ids), max_size=2),
       shout=st.booleans())
def test_no_draft_ever_repeats_a_detected_span(terms, before, after, extra, shout):
    post = f"{before} {' '.join(terms)} {after}"
    post = post.upper() if shout else post
    spans = LEXICON.find(post)

    drafts = compose_replies([m.entry.category for m in spans] + extra, [m.term for m in spans])

    for draft in drafts:
        for span in spans:
            assert span.term.casefold() not in draft.text.casefold()
            assert _folded(span.term) not in _folded(draft.text)
        assert not LEXICON.find(draft.text)  # nor any other slur or coded term


@pytest.mark.parametrize(("text", "expected"), [
    ("We will not repeat it.", None),
    ("Never say Greedy  JEWS again.", "greedy jews"),  # the post's span, however spaced
    ("Calling it a holo-hoax is denial.", "holo-hoax"),  # any lexicon term, in any spelling
])
def test_an_edited_reply_names_what_it_must_not_say(text, expected):
    assert offending_term(text, ["greedy jews"]) == expected
