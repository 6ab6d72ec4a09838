"""Copy-paste campaigns as they arrive: one text posted hundreds of times, each copy changed
a little by whoever pasted it (case, punctuation, an emoji, their own link or mention, a word
added), mixed with unrelated posts that carry the campaign's hashtags. Shared by the cluster
tests and bench/bench_clusters.py."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

CAMPAIGNS = [
    "The Rothschilds own the banks and the media, wake up people before it is too late",
    "Zionists control every government in the west and nobody is allowed to say it",
    "Who really runs Hollywood? Follow the money and you will find the same names every time",
    "The globalists are replacing us and they have a plan written down for everyone to read",
    "Soros is paying the protesters again, this is the same network that funds every riot",
    "Never forget who owned the slave ships, the history books will not tell you the truth",
    "Israel did 9/11 and the dancing men were filmed, look it up before they delete it",
    "They lied about the numbers in the camps, ask why questioning it is a crime in Europe",
    "Every war of the last century was started by the same bankers for profit and control",
    "The media will never report this because the same families own all of the newspapers",
]
HASHTAGS = ["#wakeup", "#truth", "#news", "#israel", "#gaza", "#media", "#banks"]
EMOJI = ["🔥", "👀", "‼️", "🇮🇱", "😡", "💯", "🤔"]
FILLER = ["share this", "RT", "read it", "so true", "spread the word", "think about it",
          "retweet", "please"]
# Unrelated posts: everyday sentences from these words, with the same hashtags.
WORDS = ("school market weather council football synagogue festival candles bakery train "
         "meeting volunteers garden museum concert library election recipe holiday bridge "
         "station hospital neighbours children kitchen river walk morning evening weekend "
         "community theatre bicycle coffee dinner friends family music lesson exhibition").split()


@dataclass(frozen=True, slots=True)
class Generated:
    text: str
    campaign: int | None  # index in CAMPAIGNS, None for an unrelated post


def variant(text: str, rng: random.Random, number: int) -> str:
    """A copy of ``text`` as one of many people might paste it."""
    words = text.split()
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words) + 1), rng.choice(FILLER))
    copy = " ".join(words)
    if rng.random() < 0.5:
        copy = copy.upper() if rng.random() < 0.3 else copy.lower()
    if rng.random() < 0.5:
        copy = copy.replace(",", "").replace("?", "!!")
    if rng.random() < 0.5:
        copy = f"{rng.choice(EMOJI)} {copy} {rng.choice(EMOJI)}"
    if rng.random() < 0.5:
        copy = f"{copy} https://t.co/{number:08x}"
    if rng.random() < 0.3:
        copy = f"@user{number} {copy}"
    return f"{copy} {' '.join(rng.sample(HASHTAGS, rng.randint(1, 3)))}"


def unrelated(rng: random.Random) -> str:
    sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18)))
    return f"{sentence.capitalize()}. {' '.join(rng.sample(HASHTAGS, rng.randint(1, 3)))}"


def posts(count: int, *, campaign_share: float = 2 / 3, seed: int = 18) -> Iterator[Generated]:
    """``count`` posts, ``campaign_share`` of them copies of the campaigns, shuffled."""
    rng = random.Random(seed)
    items = []
    for number in range(count):
        if rng.random() < campaign_share:
            campaign = rng.randrange(len(CAMPAIGNS))
            items.append(Generated(variant(CAMPAIGNS[campaign], rng, number), campaign))
        else:
            items.append(Generated(unrelated(rng), None))
    yield from items
