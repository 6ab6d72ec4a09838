"""Synthetic platform exports for the service tests: X API v2 pages, one page per line, as
twarc2 and most collection scripts save them (data + includes.users + meta)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

TEXTS = [
    "Lighting the Hanukkah candles with the kids tonight.",
    "The Rothschilds own the banks and the media, wake up.",
    "Our synagogue's Shabbat dinner for newcomers is on Friday, everyone is welcome.",
    "Calling out the antisemitic abuse in this thread: blaming Jews for the war is hateful.",
    "New bakery on the high street does excellent challah.",
]
EPOCH = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def tweet_id(number: int) -> str:
    return str(1_790_000_000_000_000_000 + number)


def user_id(number: int) -> str:
    return str(9_000 + number)


def tweet(number: int, *, users: int = 7, text: str | None = None) -> dict:
    """Tweet ``number``; every fifth one replies to the tweet ten further on, so replies often
    arrive before their parent (in a later batch, even)."""
    author = number % users
    tweet = {
        "id": tweet_id(number),
        "text": text if text is not None else f"{TEXTS[number % len(TEXTS)]} #{number}",
        "author_id": user_id(author),
        "created_at": (EPOCH + timedelta(minutes=number)).isoformat().replace("+00:00", "Z"),
        "conversation_id": tweet_id(number),
        "public_metrics": {"like_count": number % 13, "retweet_count": number % 3,
                           "reply_count": 0, "impression_count": 10 * number},
    }
    if number % 5 == 1:
        parent = tweet_id(number + 10)
        tweet["referenced_tweets"] = [{"type": "replied_to", "id": parent}]
        tweet["conversation_id"] = parent
    return tweet


def user(number: int) -> dict:
    return {"id": user_id(number), "username": f"user{number}", "name": f"User {number}",
            "description": f"Bio of user {number}"}


def write_pages(
    path: Path,
    count: int,
    *,
    page_size: int = 50,
    users: int = 7,
    missing_id_every: int = 0,
    texts: dict[int, str] | None = None,
    truncate: bool = False,
) -> Path:
    """``count`` tweets in pages of ``page_size``, one page per line. Every
    ``missing_id_every``-th tweet lacks its id (a record error); ``truncate`` cuts the last
    page off part-way, as a download that broke would."""
    texts = texts or {}
    lines = []
    for start in range(0, count, page_size):
        numbers = range(start, min(start + page_size, count))
        data = []
        for number in numbers:
            item = tweet(number, users=users, text=texts.get(number))
            if missing_id_every and number % missing_id_every == missing_id_every - 1:
                del item["id"]
            data.append(item)
        page = {
            "data": data,
            "includes": {"users": [user(n) for n in sorted({n % users for n in numbers})]},
            "meta": {"result_count": len(data)},
        }
        lines.append(json.dumps(page))
    if truncate:
        lines[-1] = lines[-1][: len(lines[-1]) // 2]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
