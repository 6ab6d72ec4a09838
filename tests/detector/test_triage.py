"""The transformer gate: relevant posts the cheap stages settle never reach the transformer,
and the cut is the highest that keeps the full pipeline's flags."""

from __future__ import annotations

import numpy as np
import pytest

from tropewatch.detector.combiner import TRANSFORMER_FEATURE
from tropewatch.detector.lexicon import load_lexicon
from tropewatch.detector.normalize import normalize
from tropewatch.detector.pipeline import analyse_normalized, detect_batch, load_detector
from tropewatch.detector.transformer import model_text
from tropewatch.detector.triage import (
    CANDIDATE_CUTS,
    MAX_LOST_SHARE,
    cascade,
    choose_skip_below,
    without_transformer,
)

HARMLESS = "Shabbat shalom from all of us at the community centre."
TROPE = "The Jews control the banks and the media, wake up."


def at_threshold(threshold: float):
    return lambda scores: scores >= threshold


def test_cascade_keeps_the_cheap_score_only_below_the_cut():
    cheap = np.array([0.01, 0.2, 0.04])
    full = np.array([0.9, 0.1, 0.5])
    assert cascade(cheap, full, 0.05).tolist() == [0.01, 0.1, 0.04]


def test_without_transformer_drops_only_its_feature():
    row = {"ngram_logit": 1.0, TRANSFORMER_FEATURE: 2.0, "cue_reporting": 1.0}
    assert without_transformer(row) == {"ngram_logit": 1.0, "cue_reporting": 1.0}


def test_the_cut_is_the_highest_that_loses_no_more_flags_than_allowed():
    # As many flags as make three lost ones just the allowed share: a cut above 0.1 loses
    # one flag, above 0.2 two, above 0.25 three (allowed), above 0.28 four (too many).
    flags = round(3 / MAX_LOST_SHARE)
    full = np.full(flags, 0.9)
    cheap = np.full(flags, 0.5)
    cheap[:4] = [0.1, 0.2, 0.25, 0.28]
    cut = choose_skip_below(cheap, full, at_threshold(0.5))
    assert 0.25 < cut <= 0.28
    lost = np.sum(at_threshold(0.5)(full) & ~at_threshold(0.5)(cascade(cheap, full, cut)))
    assert lost <= MAX_LOST_SHARE * flags


def test_no_cut_when_the_cheap_score_misses_a_flag_at_once():
    full = np.array([0.9, 0.1])
    cheap = np.array([0.001, 0.001])  # below every candidate cut
    assert cheap[0] < CANDIDATE_CUTS[0]
    assert choose_skip_below(cheap, full, at_threshold(0.5)) == 0.0


class RecordingTransformer:
    """The shipped transformer, noting which posts it was asked to score."""

    def __init__(self, real) -> None:
        self.real = real
        self.seen: list[str] = []
        self.read: list[str] = []

    def submit_logits(self, texts, model_texts=None):
        self.seen.extend(texts)
        self.read.extend(model_texts)
        return self.real.submit_logits(texts, model_texts)


@pytest.fixture
def recording_detector():
    detector = load_detector()
    real = detector.transformer
    detector.transformer = RecordingTransformer(real)
    yield detector
    detector.transformer = real


def cheap_score(detector, text: str) -> float:
    normalized = normalize(text)
    (analysis,) = analyse_normalized([normalized], [load_lexicon().find(normalized)],
                                     detector.ngram)
    return float(detector.gate.cheap_scores([analysis.features])[0])


def test_a_post_the_cheap_stages_settle_never_reaches_the_transformer(recording_detector):
    detector = recording_detector
    assert cheap_score(detector, HARMLESS) < detector.gate.skip_below, "precondition"
    assert cheap_score(detector, TROPE) >= detector.gate.skip_below, "precondition"

    harmless, trope = detector.verdicts([HARMLESS, TROPE])

    assert detector.transformer.seen == [TROPE]
    assert harmless.score == round(cheap_score(detector, HARMLESS), 4)
    assert not harmless.antisemitic and trope.antisemitic


def test_the_transformer_reads_each_post_as_model_text_gives_it(recording_detector):
    # The detector hands over the n-gram stage's input rather than normalising again.
    posts = [TROPE, "@alice the J.e.w.s control the media https://x.example/1 (((them)))",
             "Тhe Rоthschilds own the banks and the mеdia, @bob"]

    recording_detector.verdicts(posts)

    seen = recording_detector.transformer.seen
    assert len(seen) >= 2
    assert recording_detector.transformer.read == [model_text(text) for text in seen]
    assert any(model_text(text) != text.lower() for text in seen)


def test_a_verdict_does_not_depend_on_the_rest_of_the_batch():
    detector = load_detector()
    batch = [HARMLESS, TROPE, "Israel's election results are in.", "Shabbat shalom",
             "Jews are behind every war, (((they))) always are."]
    together = detector.verdicts(batch)
    alone = [detector.verdicts([text])[0] for text in batch]
    assert together == alone


def test_streamed_batches_overlapping_the_transformer_give_each_post_its_own_verdict():
    # detect_batch runs one batch's cheap stages while the transformer scores the last.
    posts = [HARMLESS, TROPE, "Israel's election results are in.", "Shabbat shalom",
             "Jews are behind every war, (((they))) always are."]
    detector = load_detector()
    alone = [detector.verdicts([text])[0] for text in posts]
    assert list(detect_batch(posts, batch_size=2)) == alone
    assert list(detect_batch(iter(posts), batch_size=10)) == alone
    assert list(detect_batch([], batch_size=2)) == []


def test_posts_read_before_the_input_fails_still_get_their_verdicts():
    def posts():
        yield HARMLESS
        yield TROPE
        raise ValueError("line 3: unreadable")

    stream = detect_batch(posts(), batch_size=1)
    assert [verdict.antisemitic for verdict in (next(stream), next(stream))] == [False, True]
    with pytest.raises(ValueError, match="line 3"):
        next(stream)
