"""Behaviour on hand-written posts: what must never be flagged, and every trope family.

These run the shipped model end to end. They are the promises a moderator relies on:
Jewish life, news, people calling antisemitism out and criticism of a government
stay unflagged; every taxonomy family is found, named and located.
"""

import pytest

from tropewatch.detector import detect

BENIGN = {
    "jewish_life": "Chag sameach! Lighting the first Hanukkah candle with the kids tonight.",
    "shabbat": "Shabbat shalom everyone, the challah came out perfectly this week.",
    "remembrance": "My grandmother survived Auschwitz. Today we remember the six million.",
    "news": "Police are investigating after swastikas were daubed on a synagogue in north "
            "London, the Community Security Trust said.",
    "quote_to_condemn": "Someone replied to me that 'the Jews control the media'. That is an "
                        "antisemitic conspiracy theory and I have reported the account.",
    "slur_called_out": "Calling Jewish people kikes is a vile antisemitic slur. Reported.",
    "israel_policy": "The Israeli government's settlement expansion breaks international law and "
                     "should be condemned, exactly as we would condemn any other state doing it.",
    "globalist_trade": "Globalist trade policy hollowed out our manufacturing towns; we need an "
                       "industrial strategy.",
    "rothschild_wine": "Opened a bottle of Chateau Lafite Rothschild 2010 for our anniversary. "
                       "Stunning wine.",
    "reclaimed_name": "Found my old copies of Heeb magazine, the Jewish culture quarterly. "
                      "Great interviews.",
}

TROPES = {
    "power_control": ("The Jews control the media and the banks, wake up to who runs the world.",
                      "control the media"),
    "rothschild_soros": ("Soros is the puppet master funding every riot and pulling the strings "
                         "of our government.", "puppet master"),
    "blood_libel_deicide": ("They are Christ killers and they still use the blood of Christian "
                            "children.", "christ killers"),
    "holocaust_denial": ("The holocaust never happened, it is the biggest lie ever told. "
                         "Holohoax.", "holohoax"),
    "holocaust_exaggeration": ("The Jews exaggerated the Holocaust to milk the world for money, "
                               "it is a Holocaust industry.", "holocaust industry"),
    "dual_loyalty": ("Jewish MPs are loyal to Israel first and never to Britain, dual loyalty "
                     "traitors the lot of them.", "dual loyalty"),
    "collective_responsibility_israel": ("Every Jew is complicit in what Israel does in Gaza, "
                                         "they are all responsible.", "every jew is complicit"),
    "nazi_analogy": ("ZioNazis are doing exactly what Hitler did, Zionazi scum.", "zionazi"),
    "dehumanisation_slurs": ("Filthy kikes are vermin and should be driven out of this country.",
                             "kikes"),
    "coded_language": ("ZOG runs Washington and the happy merchant laughs all the way to the "
                       "bank.", "zog"),
    "smear_dismissal": ("Antisemitism is a smear weaponised by Zionists, they play the "
                        "antisemitism card to silence every critic, the Jews control it all.",
                        "antisemitism card"),
    "incitement_violence": ("Gas the Jews. Hitler was right about them.", "gas the jews"),
}


@pytest.mark.parametrize("name", sorted(BENIGN))
def test_benign_posts_are_not_flagged(name):
    verdict = detect(BENIGN[name])
    assert not verdict.antisemitic, (name, verdict)


@pytest.mark.parametrize("category", sorted(TROPES))
def test_each_trope_family_is_flagged_named_and_located(category):
    text, words = TROPES[category]
    verdict = detect(text)
    assert verdict.antisemitic, (category, verdict)
    assert category in {c.id for c in verdict.categories}, verdict.categories
    located = [s for s in verdict.spans if s.category == category]
    assert located, verdict.spans
    for span in located:
        assert text[span.start:span.end] == span.term
    assert any(words in text[s.start:s.end].lower() or text[s.start:s.end].lower() in words
               for s in located), (words, located)


def test_a_verdict_explains_itself():
    verdict = detect(TROPES["coded_language"][0])
    assert verdict.explanation and verdict.model_version
    assert 0.0 <= verdict.score <= 1.0 and verdict.categories[0].score > 0


def test_quoting_a_slur_to_condemn_it_is_recognised_as_counter_speech():
    called_out = detect(BENIGN["slur_called_out"])
    endorsed = detect(TROPES["dehumanisation_slurs"][0])
    assert called_out.counter_speech > endorsed.counter_speech
    assert called_out.spans, "the slur is still located, so a moderator sees what was quoted"


def test_the_policy_changes_the_decision_not_the_evidence():
    text = "Israel is the new Nazi Germany, ZioNazis committing a holocaust."
    ihra, core = detect(text, "ihra"), detect(text, "ihra-core")
    assert ihra.score == core.score and ihra.spans == core.spans
    assert ihra.antisemitic and not core.antisemitic
