"""The stage clock the benchmarks print: timing the stages changes no verdict, and each
stage is charged with the posts that reached it."""

from tropewatch.detector.normalize import normalize
from tropewatch.detector.pipeline import detect_batch, load_detector
from tropewatch.detector.relevance import is_relevant
from tropewatch.detector.stage_clock import StageClock

POSTS = [
    "The Rothschilds own the banks and the media, wake up.",
    "Lovely weather for the allotment today.",
    "Jews control the government and always have.",
    "Happy Hanukkah to everyone celebrating tonight!",
    "What a match on Saturday, two goals in injury time.",
]


def test_a_clocked_scan_gives_the_same_verdicts():
    clock = StageClock()
    assert list(detect_batch(POSTS, batch_size=2, clock=clock)) == load_detector().verdicts(POSTS)
    assert sum(clock.seconds.values()) > 0


def test_each_stage_counts_the_posts_it_was_given():
    clock = StageClock()
    list(detect_batch(POSTS, batch_size=2, clock=clock))
    lexicon = load_detector().lexicon
    relevant = sum(is_relevant(n, lexicon.find(n)) for n in map(normalize, POSTS))
    assert clock.posts["normalise"] == len(POSTS)
    assert clock.posts["lexicon and relevance gate"] == len(POSTS)
    assert clock.posts["verdicts and explanations"] == len(POSTS)
    assert 0 < clock.posts["n-gram and cues"] == relevant < len(POSTS)
