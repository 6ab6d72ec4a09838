import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tropewatch.detector.lexicon import (
    DEFAULT_LEXICON_DIR,
    Lexicon,
    LexiconError,
    load_lexicon,
)
from tropewatch.detector.normalize import CONFUSABLES, normalize
from tropewatch.detector.taxonomy import load_taxonomy


def entry(entry_id: str, **fields) -> dict:
    """A valid lexicon entry; keyword arguments override or add fields."""
    return {
        "id": entry_id,
        "category": "coded_language",
        "terms": [entry_id],
        "meaning": f"what {entry_id} means",
        "strength": "explicit",
        "false_positive_notes": "when it is harmless",
        **fields,
    }


def write_lexicon(directory: Path, files: dict[str, list], version: str = "2026.11.1") -> Path:
    """Write a lexicon directory; each list item is an entry dict or a raw line."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "VERSION").write_text(version + "\n", encoding="utf-8")
    for name, lines in files.items():
        text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
        (directory / name).write_text(text + "\n", encoding="utf-8")
    return directory


def lexicon_of(directory: Path, *entries: dict) -> Lexicon:
    return load_lexicon(write_lexicon(directory, {"test.jsonl": list(entries)}))


def found(lexicon: Lexicon, text: str) -> list[tuple[str, str]]:
    return [(match.entry.id, match.term) for match in lexicon.find(text)]


@pytest.fixture
def slurs(tmp_path: Path) -> Lexicon:
    return lexicon_of(
        tmp_path,
        entry("kike", category="dehumanisation_slurs"),
        entry("zog", terms=["zog", "zionist occupied government"], variants=["z.o.g"]),
        entry("eighty_eight", terms=["88"], strength="contextual"),
        entry("echo", terms=[], patterns=[r"\(\(\([^()]{1,40}\)\)\)"]),
    )


# Loading and validation


def test_it_loads_every_file_with_its_entries_and_version(tmp_path):
    directory = write_lexicon(
        tmp_path,
        {"a.jsonl": [entry("kike")], "b.jsonl": [entry("zog", window=3, requires_nearby=["x"])]},
        version="2030.1.2",
    )
    lexicon = load_lexicon(directory)
    assert lexicon.version == "2030.1.2"
    assert [e.id for e in lexicon.entries] == ["kike", "zog"]
    assert lexicon.entry("zog").window == 3
    assert lexicon.entry("zog").requires_nearby == ("x",)
    assert lexicon.entry("kike").window == 8


def test_blank_lines_are_skipped_but_still_counted_in_error_lines(tmp_path):
    directory = write_lexicon(tmp_path, {"a.jsonl": [entry("kike"), "", "   ", "{oops"]})
    with pytest.raises(LexiconError, match=r"a\.jsonl:4: not valid JSON"):
        load_lexicon(directory)


def test_a_line_separator_inside_a_json_string_does_not_split_the_line(tmp_path):
    meaning = "first\u2028second"
    directory = write_lexicon(tmp_path, {"a.jsonl": [entry("kike", meaning=meaning)]})
    assert load_lexicon(directory).entry("kike").meaning == meaning


@pytest.mark.parametrize(
    ("bad_entry", "message"),
    [
        ({k: v for k, v in entry("kike").items() if k != "meaning"}, "missing field 'meaning'"),
        (entry("kike", colour="red"), "unknown field 'colour'"),
        (entry("kike", strength="strong"), "field 'strength': 'strong' is not one of"),
        (entry("Kike!"), "field 'id': 'Kike!' does not match"),
        (entry("kike", terms=["kike", 7]), r"field 'terms\[1\]': 7 is not of type 'string'"),
        (entry("kike", window=0), "field 'window': 0 is less than the minimum"),
        (entry("kike", patterns=["(unclosed"]), r"field 'patterns\[0\]': regex does not compile"),
        (entry("kike", terms=["\u200b"]), r"field 'terms\[0\]': .* nothing to match"),
        (entry("kike", terms=[]), "field 'terms': no terms, variants or patterns"),
        (["not", "an", "object"], "entry must be a JSON object"),
    ],
)
def test_a_bad_entry_is_rejected_naming_file_line_and_field(tmp_path, bad_entry, message):
    directory = write_lexicon(tmp_path, {"bad.jsonl": [entry("fine"), bad_entry]})
    with pytest.raises(LexiconError, match=rf"bad\.jsonl:2: {message}"):
        load_lexicon(directory)


def test_a_duplicate_id_across_files_names_both_places(tmp_path):
    directory = write_lexicon(tmp_path, {"a.jsonl": [entry("kike")], "b.jsonl": [entry("kike")]})
    message = r"b\.jsonl:1: field 'id': duplicate id 'kike', first defined at .*a\.jsonl:1"
    with pytest.raises(LexiconError, match=message):
        load_lexicon(directory)


def test_the_same_spelling_in_two_entries_is_rejected(tmp_path):
    directory = write_lexicon(
        tmp_path, {"a.jsonl": [entry("zog"), entry("zog2", terms=["other"], variants=["Z0G"])]}
    )
    with pytest.raises(LexiconError, match=r"a\.jsonl:2: field 'terms': 'zog' is already matched"):
        load_lexicon(directory)


def test_an_unknown_category_is_rejected_when_categories_are_given(tmp_path):
    directory = write_lexicon(tmp_path, {"a.jsonl": [entry("kike", category="made_up")]})
    with pytest.raises(LexiconError, match=r"a\.jsonl:1: field 'category': unknown category"):
        load_lexicon(directory, categories={"coded_language"})
    assert load_lexicon(directory).entry("kike").category == "made_up"


def test_a_missing_version_file_is_an_error(tmp_path):
    directory = write_lexicon(tmp_path, {"a.jsonl": [entry("kike")]})
    (directory / "VERSION").unlink()
    with pytest.raises(LexiconError, match="VERSION: cannot read"):
        load_lexicon(directory)


def test_a_directory_without_lexicon_files_is_an_error(tmp_path):
    with pytest.raises(LexiconError, match=r"no \*\.jsonl lexicon files"):
        load_lexicon(write_lexicon(tmp_path, {}))


def test_the_default_lexicon_is_loaded_once():
    assert load_lexicon() is load_lexicon()


def test_the_shipped_lexicon_validates_against_the_taxonomy():
    assert sorted(DEFAULT_LEXICON_DIR.glob("*.jsonl")), "the lexicon ships no *.jsonl files"
    lexicon = load_lexicon(DEFAULT_LEXICON_DIR, categories=set(load_taxonomy().ids))
    assert re.fullmatch(r"\d{4}\.\d{1,2}\.\d+", lexicon.version)
    assert lexicon.entries


def test_every_shipped_term_and_variant_is_found_as_written():
    lexicon = load_lexicon()
    missed = []
    for lexicon_entry in lexicon.entries:
        context = " ".join(lexicon_entry.requires_nearby[:1])
        for phrase in (*lexicon_entry.terms, *lexicon_entry.variants):
            matches = lexicon.find(f"they said {phrase} {context}")
            if not any(phrase in match.term for match in matches):
                missed.append((lexicon_entry.id, phrase))
    assert not missed


# Matching


@pytest.mark.parametrize(
    "written",
    ["kike", "KIKE", "kikes", "kike's", "kiiikkeee", "k1ke", "k!ke", "K I K E", "k.i.k.e",
     "k*i*k*e", "кіке", "k\u200bi\u200dk\u2060e", "k\u0336i\u0336k\u0336e\u0336", "ᴋɪᴋᴇ"],
)
def test_an_evasive_spelling_is_found_with_its_original_span(slurs, written):
    text = f"you {written}, go away"
    matches = slurs.find(text)
    assert [(m.entry.id, m.start, m.end, m.term) for m in matches] == [
        ("kike", 4, 4 + len(written), written)
    ]


@pytest.mark.parametrize(
    "phrase",
    ["zionist occupied government", "Zionist-Occupied_Government", "#ZionistOccupiedGovernment",
     "zionist  occupied\ngovernment"],
)
def test_words_of_a_phrase_may_be_joined_by_any_separator(slurs, phrase):
    assert found(slurs, f"the {phrase}!") == [("zog", phrase.lstrip("#"))]


@pytest.mark.parametrize("harmless", ["skike", "kikeriki", "Zogby", "888 dalmatians", "x88"])
def test_terms_only_match_whole_words(slurs, harmless):
    assert found(slurs, harmless) == []


@pytest.mark.parametrize("written", ["holo-hoax", "Holo hoax", "holohoax", "holo.hoax"])
def test_punctuation_inside_a_term_is_a_flexible_gap(tmp_path, written):
    lexicon = lexicon_of(tmp_path, entry("holohoax", terms=["holo-hoax"]))
    assert found(lexicon, f"the {written}") == [("holohoax", written)]


def test_brackets_in_a_term_must_be_present(tmp_path):
    lexicon = lexicon_of(tmp_path, entry("echo_them", terms=["(((them)))"]))
    assert found(lexicon, "ask ( ( (them) ) ) now") == [("echo_them", "( ( (them) ) )")]
    assert found(lexicon, "ask them now") == []


def test_documented_variants_are_matched(slurs):
    assert found(slurs, "the Z.O.G. again") == [("zog", "Z.O.G")]


def test_patterns_run_over_normalised_text_and_report_original_offsets(slurs):
    text = "ask ( ( ( Soros ) ) ) why"
    assert found(slurs, text) == [("echo", "( ( ( Soros ) ) )")]


def test_find_accepts_already_normalised_text(slurs):
    assert slurs.find(normalize("a k1ke")) == slurs.find("a k1ke")


def test_a_contextual_entry_needs_a_nearby_word_within_its_window(tmp_path):
    lexicon = lexicon_of(
        tmp_path,
        entry("globalist", strength="contextual", requires_nearby=["control", "((("], window=3),
    )
    assert found(lexicon, "globalist economics is a field") == []
    assert found(lexicon, "the globalists one two control") == [("globalist", "globalists")]
    assert found(lexicon, "controls one two globalists") == [("globalist", "globalists")]
    assert found(lexicon, "control one two three globalist") == []
    assert found(lexicon, "globalist one two three control") == []
    assert found(lexicon, "(((them))) and globalists") == [("globalist", "globalists")]


def test_nearby_words_count_whole_words_and_their_evasive_spellings(tmp_path):
    lexicon = lexicon_of(
        tmp_path, entry("zog", strength="contextual", requires_nearby=["jew"], window=4)
    )
    assert found(lexicon, "zog and the jewellery") == []
    assert found(lexicon, "zog and the j3ws") == [("zog", "zog")]
    assert found(lexicon, "J.E.W's zog") == [("zog", "zog")]


def test_the_nearby_word_must_be_outside_the_match_itself(tmp_path):
    lexicon = lexicon_of(tmp_path, entry("control_freak", terms=["control freak"],
                                         requires_nearby=["control"]))
    assert found(lexicon, "a control freak") == []


def test_of_overlapping_matches_the_longest_is_kept(tmp_path):
    lexicon = lexicon_of(
        tmp_path,
        entry("rothschild", strength="contextual"),
        entry("rothschild_bankers", terms=["rothschild bankers"]),
        entry("bankers_control", terms=["bankers control everything"]),
    )
    assert found(lexicon, "Rothschild bankers rule") == [
        ("rothschild_bankers", "Rothschild bankers")
    ]
    assert found(lexicon, "Rothschild bankers control everything") == [
        ("rothschild", "Rothschild"),
        ("bankers_control", "bankers control everything"),
    ]


def test_a_longer_term_failing_its_context_leaves_the_shorter_one(tmp_path):
    lexicon = lexicon_of(
        tmp_path,
        entry("rothschild", strength="contextual"),
        entry("rothschild_family", terms=["rothschild family"], requires_nearby=["evil"]),
    )
    assert found(lexicon, "the Rothschild family museum") == [("rothschild", "Rothschild")]


def test_matches_come_back_in_order_of_position(slurs):
    assert [m.entry.id for m in slurs.find("88 zog kike (((x))) zog")] == [
        "eighty_eight", "zog", "kike", "echo", "zog"
    ]


def test_an_unknown_entry_id_raises_key_error(slurs):
    with pytest.raises(KeyError):
        slurs.entry("nope")


# Patterns are grouped by the characters they can start with; these check that grouping
# never loses a match that a plain regex search over the normalised text finds.
TRICKY_PATTERNS = [
    r"\b(?:the\s+)?jews\s+(?:did|caused)\b",
    r"(?<![\w/.@#])88(?![\w/.])",
    r"\(\(\(\s*(?!hugs)[^()]{1,40}\)\)\)",
    r"(?i:zog)\s+puppets?",
    r"(?i)rothschilds?",
    r"(jew)\s+\1",
    r"[a-c]x+y",
    r"\d+\s*million",
    r"(?:six|6)\s*million",
    r"x*y",
    r"(?=q)q+z",
    r"[^a-z ]{2}",
    r"(?s:.)\s?hugs",
]
VOCABULARY = ["the", "jews", "did", "caused", "88", "/88", "(((", ")))", "hugs", "zog",
              "puppet", "rothschild", "jew", "six", "6", "million", "x", "y", "bxxy", "q",
              "qqz", "\n", ".", "#", "((( ", "Z0G"]


@pytest.fixture(scope="module")
def single_pattern_lexicons(tmp_path_factory) -> dict[str, Lexicon]:
    return {
        pattern: lexicon_of(tmp_path_factory.mktemp("pattern"), entry("p", terms=[],
                                                                       patterns=[pattern]))
        for pattern in TRICKY_PATTERNS
    }


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.sampled_from(VOCABULARY), max_size=12),
    separators=st.lists(st.sampled_from(["", " ", "  "]), min_size=12, max_size=12),
)
def test_a_pattern_matches_wherever_a_plain_search_would(
    single_pattern_lexicons, words, separators
):
    text = "".join(word + separator for word, separator in zip(words, separators, strict=False))
    normalized = normalize(text)
    for pattern, lexicon in single_pattern_lexicons.items():
        regex = re.compile(pattern)
        plain = any(
            (match := regex.match(normalized.text, position)) and match.end() > position
            for position in range(len(normalized.text))
        )
        assert bool(lexicon.find(normalized)) == plain, pattern


# Obfuscation property: any mix of evasions on a lexicon term is still found, spanning
# exactly the obfuscated word.
TERMS = ["kike", "soros", "globalist", "rothschild", "shylock", "zog"]
BENIGN = ["the", "council", "voted", "again", "about", "parking", "trees", "budget", "people",
          "yesterday", "plan", "news", "really", "think", "weather", "football", "coffee"]
LEET_FOR = {"a": "4@", "e": "3", "i": "1!|", "o": "0", "s": "5$", "t": "7"}
LOOKALIKES = {
    letter: sorted(key for key, value in CONFUSABLES.items() if value == letter)
    for letter in set("".join(TERMS))
}
MARKS = [chr(code) for code in range(0x300, 0x370)]
INVISIBLES = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202a", "\u202e",
              "\u2066", "\u2069"]


def leet_allowed(char: str, index: int, length: int, split: bool) -> bool:
    """The documented limits of leetspeak undoing (see normalize._deleet_token)."""
    if char.isdigit():
        return index > 0  # a word starting with a digit is a number ("4chan")
    if char in "!|":
        return 0 < index < length - 1 and not split  # edge "!" is punctuation
    if char == "@":
        return 0 < index < length - 1  # leading "@" is a mention
    return True


@st.composite
def obfuscated_terms(draw) -> tuple[str, str]:
    term = draw(st.sampled_from(TERMS))
    split = draw(st.booleans())
    kinds = [draw(st.sampled_from(["plain", "upper", "homoglyph", "leet"])) for _ in term]
    if split and sum(kind != "leet" for kind in kinds) < 2:
        kinds[0] = kinds[-1] = "plain"  # a split run needs two real letters (not "5.0.r.0.5")
    glyphs = []
    for index, (letter, kind) in enumerate(zip(term, kinds, strict=True)):
        glyph = letter
        leets = [c for c in LEET_FOR.get(letter, "") if leet_allowed(c, index, len(term), split)]
        if kind == "upper":
            glyph = letter.upper()
        elif kind == "homoglyph" and LOOKALIKES[letter]:
            glyph = draw(st.sampled_from(LOOKALIKES[letter]))
        elif kind == "leet" and leets:
            glyph = draw(st.sampled_from(leets))
        if not split:
            glyph *= draw(st.integers(1, 3))
        glyph += "".join(draw(st.lists(st.sampled_from(MARKS), max_size=2)))
        if index < len(term) - 1:
            glyph += "".join(draw(st.lists(st.sampled_from(INVISIBLES), max_size=2)))
        glyphs.append(glyph)
    separator = draw(st.sampled_from([" ", ".", "-", "_", "*"])) if split else ""
    return term, separator.join(glyphs)


@pytest.fixture(scope="module")
def term_lexicon(tmp_path_factory) -> Lexicon:
    return lexicon_of(tmp_path_factory.mktemp("terms"), *(entry(term) for term in TERMS))


@settings(max_examples=200, deadline=None)
@given(
    obfuscation=obfuscated_terms(),
    before=st.lists(st.sampled_from(BENIGN), max_size=4),
    after=st.lists(st.sampled_from(BENIGN), max_size=4),
    punctuation=st.sampled_from(["", "!", ",", "?", ".", "!!"]),
)
def test_an_obfuscated_term_is_found_spanning_exactly_the_obfuscated_word(
    term_lexicon, obfuscation, before, after, punctuation
):
    term, written = obfuscation
    prefix = " ".join([*before, ""])
    text = prefix + written + punctuation + " " + " ".join(after)
    matches = term_lexicon.find(text)
    assert [(m.entry.id, m.start, m.end) for m in matches] == [
        (term, len(prefix), len(prefix) + len(written))
    ]


@pytest.mark.parametrize(("text", "entry_id"), [
    ("jews are born trouble makers", "jewish_stereotypes"),
    ("The Jews are all traitors", "jewish_stereotypes"),
    ("keep telling us how bored we are hymie", "hymie"),
    ("welcome to Jew York", "jew_portmanteau"),
    ("the jew bankers did this", "jew_as_adjective"),
    ("Judeo-Bolshevism destroyed Russia", "judeo_bolshevism"),
    ("The Zionists control the media", "zionists_control"),
    ("October 7th was a false flag", "october_7_false_flag"),
    ("the zionists did oct 7 themselves", "october_7_false_flag"),
    ("Mossad did 9/11", "israel_did_9_11"),
    ("death to zionists", "death_to_zionists"),
    ("the jews declared war on germany first", "judea_declares_war"),
    ("everything today is controlled by jews", "jews_control"),
    ("gas chambers at Auschwitz were built after the war", "gas_chambers_denial"),
    ("6 million is a number pulled out of thin air", "six_million_lie"),
    ("the six million figure was wildly inflated", "six_million_lie"),
    ("Anne Frank's diary was written in ballpoint pen", "anne_frank_forgery"),
    ("anne franks diary is a forgery", "anne_frank_forgery"),
    ("Every Jew in America is responsible for this", "jews_complicit_israel"),
    ("Jewish bankers crashed the economy on purpose", "jews_caused_it"),
    ("The 2008 crash was engineered by Jewish bankers", "jews_caused_it"),
])
def test_shipped_patterns_find_their_examples(text, entry_id):
    assert entry_id in {m.entry.id for m in load_lexicon().find(normalize(text))}


@pytest.mark.parametrize("text", [
    "AIPAC spends millions lobbying Congress",
    "The October 7 inquiry found intelligence failures",
    "Jews are a people, not a political position",
    "I read Heeb magazine for years",
    "New York has the largest Jewish population outside Israel",
    "Anne Frank's diary was published in 1947",
    "Every Jew in America is welcome at our table",
    "The six million murdered are remembered today",
    "Jewish bankers founded the hospital in 1890",
])
def test_shipped_patterns_leave_near_misses_alone(text):
    assert not load_lexicon().find(normalize(text))
