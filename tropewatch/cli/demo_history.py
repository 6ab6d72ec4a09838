"""Invented months of a Facebook group's posts for the demo, so that its dashboard has a trend
to show and its before-and-after section a change to find.

Sixteen weeks, about thirty posts a day. Until the "campaign" day halfway through, about one
post in fifteen repeats an antisemitic trope; from then on, about one in fifty. The posts
are assembled from the phrases below, as if by many people: everyday group life, politics,
criticism of Israel's government, news, call-outs of antisemitism, and the tropes themselves.
Every name is invented. Fixed seed: the same days give the same posts.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

WEEKS = 16
POSTS_PER_DAY = 30
RATE_BEFORE = 1 / 15
RATE_AFTER = 1 / 50

EVERYDAY = [
    "Reminder: the {place} branch meeting is on {day} at 7pm, agenda in the files.",
    "Who can help leaflet {place} on {day}? We need four more people.",
    "Great turnout at the {place} street stall today, thank you all.",
    "The council cut the bus route through {place} again. Write to your councillor.",
    "Food bank collection at {place} library on {day}, tins and nappies most needed.",
    "Minutes of the last meeting are up. The housing motion passed.",
    "Can we keep this group for organising, please? Arguments to DMs.",
    "Rents in {place} have gone up a third in two years. This is the campaign.",
]
ISRAEL_CRITICISM = [
    "The Israeli government's settlement expansion breaks international law, as the UN says.",
    "Ceasefire now. The bombing of Gaza has to stop, and aid has to get in.",
    "Our MP should back the motion on arms export licences to Israel.",
    "Netanyahu's coalition is the most right-wing in Israel's history, say Israelis too.",
]
JEWISH_LIFE_AND_NEWS = [
    "The {place} synagogue's open day is on {day}; a good chance to meet neighbours.",
    "BBC: the Community Security Trust recorded a rise in antisemitic incidents this year.",
    "Chag sameach to our Jewish members celebrating this week.",
]
CALL_OUTS = [
    "Saying 'the Rothschilds control the banks' is an antisemitic conspiracy theory. Report it.",
    "Blaming British Jews for what Israel's government does is antisemitic. Stop it.",
    "Please read the group's guide on antisemitic tropes before posting about 'globalists'.",
]
TROPES = [
    "The Rothschilds own the banks and the media, wake up {place}.",
    "Soros and his Jewish friends fund every protest, it's all planned.",
    "Zionists control the media, that's why nobody reports the truth.",
    "You can't trust a Jewish MP, their first loyalty is to Israel.",
    "The antisemitism smear was invented by the Israel lobby to stop us. Fake.",
    "Every Jew in this country should answer for what Israel is doing.",
    "The Rothschild bankers started both world wars for profit.",
    "Jews control the banks and the media, even here in {place}.",
    "Zionists run the banks and the media and started the wars.",
    "The Holocaust never happened, it's a hoax they use for money.",
]
PLACES = ["Northfield", "Eastbrook", "Millbank Road", "St Anne's", "Riverside", "Kingsmoor"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Saturday"]
HEADER = ["id", "text", "created_at", "author", "url"]
HISTORY_SOURCE = "Example group (invented history)"


@dataclass(frozen=True, slots=True)
class History:
    path: Path
    start: date
    change: date  # the invented campaign's first day
    posts: int


def write_history(path: Path, end: date, seed: int = 2018) -> History:
    """Write the posts of the WEEKS weeks ending on ``end`` as a CSV export of a group."""
    rng = random.Random(seed)
    start = end - timedelta(weeks=WEEKS) + timedelta(days=1)
    change = change_day(start)
    rows = []
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        rate = RATE_BEFORE if day < change else RATE_AFTER
        for n in range(POSTS_PER_DAY + rng.randint(-6, 6)):
            if rng.random() < rate:
                template = rng.choice(TROPES)
            else:
                template = rng.choice(rng.choices(
                    [EVERYDAY, ISRAEL_CRITICISM, JEWISH_LIFE_AND_NEWS, CALL_OUTS],
                    weights=[70, 15, 8, 7])[0])
            text = template.format(place=rng.choice(PLACES), day=rng.choice(DAYS))
            when = datetime.combine(day, time(8), tzinfo=UTC) + timedelta(
                minutes=rng.randrange(14 * 60))
            post_id = f"{day:%Y%m%d}{n:03d}"
            author = f"invented_member_{rng.randrange(400):03d}"
            rows.append([post_id, text, when.strftime("%Y-%m-%dT%H:%M:%SZ"), author,
                         f"https://www.facebook.com/groups/example/posts/{post_id}/"])
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return History(path, start, change, len(rows))


def change_day(start: date) -> date:
    """The invented campaign's first day, halfway through a history that began on ``start``."""
    return start + timedelta(weeks=WEEKS // 2)


def is_trope(text: str) -> bool:
    """Whether the demo wrote this post from a trope: the demo's moderators confirm those the
    detector flags and dismiss the rest of what it flags, as careful volunteers would."""
    return any(text.startswith(t.split("{")[0]) for t in TROPES)
