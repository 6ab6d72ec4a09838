import math
from pathlib import Path

import pytest
import yaml

from tropewatch.detector.counter_speech import (
    DEFAULT_CUES_PATH,
    CounterSpeechCueError,
    counter_speech_score,
    cue_features,
    load_cues,
)
from tropewatch.detector.normalize import normalize

CALL_OUTS = [
    "This is antisemitic. Reported.",
    "He called me a k*ke on the bus this morning.",
    "Two teens arrested over antisemitic assault on a rabbi; the attackers shouted “kill the Jews”",
    "Shame on you. How is this allowed on this platform?",
    "The idea that Jews control the banks is an antisemitic conspiracy theory.",
    "If Jews really controlled the media, do you think we'd be this bad at telling our story?",
    "Never again. On Holocaust Memorial Day we remember the six million.",
    "This is anti-semitic and disgusting",
    "#StopAntisemitism",
]

ENDORSEMENTS_AND_DENIALS = [
    "jews control the media and the banks, wake up",
    "The Rothschilds own every central bank. Do your own research.",
    "It's not antisemitic to say jews control the media, it's just facts",
    "There is nothing antisemitic about pointing out who runs hollywood",
    "That is not anti-semitic.",
    "Stop the antisemitism smear, weaponised antisemitism is how they silence us",
    "disgusting jews",
    "jews are so vile",
    "the holocaust is a hoax",
]


@pytest.mark.parametrize("text", CALL_OUTS)
def test_call_outs_reports_and_news_score_high(text):
    assert counter_speech_score(text) > 0.5


@pytest.mark.parametrize("text", ENDORSEMENTS_AND_DENIALS)
def test_endorsements_and_denials_score_low(text):
    assert counter_speech_score(text) < 0.2


def test_a_denial_scores_lower_than_saying_nothing_about_antisemitism():
    assert counter_speech_score("That is not antisemitic.") < counter_speech_score("Nice day.")


def test_negated_condemnation_counts_as_dismissal_not_condemnation():
    features = cue_features("this is not antisemitic")
    assert features["dismissal"] == 1
    assert features["condemnation"] == 0
    assert features["topic"] == 0


def test_a_negation_in_an_earlier_clause_does_not_flip_a_later_cue():
    features = cue_features("This is not okay, it's antisemitic")
    assert features["condemnation"] == 1
    assert features["dismissal"] == 0


def test_antisemitism_smear_is_dismissal_not_a_mention_of_antisemitism():
    features = cue_features("another antisemitism smear")
    assert features["dismissal"] == 1
    assert features["topic"] == 0


@pytest.mark.parametrize("text", ["disgusting jews", "the jews are so vile", "vile zionists"])
def test_condemnation_words_aimed_at_jews_do_not_count(text):
    assert cue_features(text)["condemnation"] == 0


def test_condemnation_of_an_attack_on_jews_counts():
    assert cue_features("the attack on jews was disgusting")["condemnation"] == 1


def test_cues_survive_evasive_spelling():
    assert cue_features("Thіs іs ANTI-SEMITIC")["condemnation"] == 1  # Cyrillic "і"


def test_features_accept_normalised_text():
    text = "Shame on you, this is antisemitic"
    assert cue_features(normalize(text)) == cue_features(text)


def test_features_name_every_group_in_file_order():
    data = yaml.safe_load(DEFAULT_CUES_PATH.read_text(encoding="utf-8"))
    assert list(cue_features("hello")) == [group["name"] for group in data["groups"]]


def test_score_is_the_documented_logistic_of_capped_weighted_counts():
    cues = load_cues()
    weights = {group.name: group.weight for group in cues.groups}
    features = {"condemnation": cues.cap + 5, "reporting": 1.0}
    total = cues.bias + weights["condemnation"] * cues.cap + weights["reporting"]
    assert cues.score(features) == pytest.approx(1 / (1 + math.exp(-total)))


def test_every_repetition_in_a_long_post_is_counted():
    features = cue_features("he said it is not antisemitic. " * 5_000)
    assert features["dismissal"] == 5_000
    assert features["reporting"] == 5_000


def write_cues(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "counter_speech.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def shipped() -> dict:
    return yaml.safe_load(DEFAULT_CUES_PATH.read_text(encoding="utf-8"))


def test_it_names_an_invalid_regex(tmp_path, shipped):
    shipped["groups"][2]["patterns"] = ["(unclosed"]
    with pytest.raises(CounterSpeechCueError) as caught:
        load_cues(write_cues(tmp_path, shipped))
    assert caught.value.field_path == "groups[2].patterns[0]"


def test_it_rejects_a_negation_target_that_is_not_a_group(tmp_path, shipped):
    shipped["negation"]["counts_as"] = "denial"
    with pytest.raises(CounterSpeechCueError, match="negation.counts_as"):
        load_cues(write_cues(tmp_path, shipped))


def test_it_rejects_a_duplicate_group_name(tmp_path, shipped):
    shipped["groups"][3]["name"] = shipped["groups"][1]["name"]
    with pytest.raises(CounterSpeechCueError) as caught:
        load_cues(write_cues(tmp_path, shipped))
    assert caught.value.field_path == "groups[3].name"


def test_it_rejects_a_weight_that_is_not_a_number(tmp_path, shipped):
    shipped["groups"][0]["weight"] = "heavy"
    with pytest.raises(CounterSpeechCueError) as caught:
        load_cues(write_cues(tmp_path, shipped))
    assert caught.value.field_path == "groups[0].weight"
