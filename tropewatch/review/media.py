"""Addresses of the images attached to a post, read from the record as the platform gave it.

Only https addresses on the platform's own media hosts are returned (``MEDIA_HOSTS``; for
Mastodon, the post's own instance and its subdomains): a hostile record could otherwise name a
server of its author's, which would learn each volunteer's IP address when they asked to see
the images. The console shows them only on a page of their own, blurred, after a moderator
asks, and that page's Content-Security-Policy allows exactly these hosts.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from tropewatch.posts.models import Post

from .links import https_url

# Bluesky serves a blob of a repository at this address.
_BLUESKY_IMAGE = "https://cdn.bsky.app/img/feed_fullsize/plain/{did}/{cid}@jpeg"
MAX_IMAGES = 10
# Where each platform serves the images of its posts.
MEDIA_HOSTS = {"x": frozenset({"pbs.twimg.com"}), "bluesky": frozenset({"cdn.bsky.app"})}


def image_urls(post: Post) -> list[str]:
    reader = _READERS.get(post.platform)
    raw = post.raw if isinstance(post.raw, dict) else {}
    candidates = reader(raw) if reader else []
    urls = [url for url in map(https_url, candidates)
            if url and _own_media_host(post, urlsplit(url).hostname or "")]
    return list(dict.fromkeys(urls))[:MAX_IMAGES]


def image_hosts(urls: list[str]) -> list[str]:
    """The origins of ``urls``, for the images page's Content-Security-Policy."""
    return sorted({f"https://{urlsplit(url).hostname}" for url in urls})


def _own_media_host(post: Post, host: str) -> bool:
    if post.platform == "mastodon":
        instance = (urlsplit(post.url or "").hostname or "").lower()
        return bool(instance) and (host == instance or host.endswith("." + instance))
    return host in MEDIA_HOSTS.get(post.platform, frozenset())


def _mastodon(raw: dict[str, Any]) -> list[str]:
    status = raw.get("reblog") if isinstance(raw.get("reblog"), dict) else raw
    return [
        item.get("url") for item in _list(status.get("media_attachments"))
        if isinstance(item, dict) and item.get("type") in {"image", "gifv"}
    ]


def _bluesky(raw: dict[str, Any]) -> list[str]:
    post = raw.get("post") if isinstance(raw.get("post"), dict) else raw
    did = _dict(post.get("author")).get("did")
    embed = _dict(_dict(post.get("record")).get("embed"))
    if embed.get("$type") == "app.bsky.embed.recordWithMedia":
        embed = _dict(embed.get("media"))
    if not isinstance(did, str) or embed.get("$type") != "app.bsky.embed.images":
        return []
    urls = []
    for image in _list(embed.get("images")):
        cid = _dict(_dict(_dict(image).get("image")).get("ref")).get("$link")
        if isinstance(cid, str) and cid.isalnum() and did.replace(":", "").isalnum():
            urls.append(_BLUESKY_IMAGE.format(did=did, cid=cid))
    return urls


def _x(raw: dict[str, Any]) -> list[str]:
    tweet = raw.get("tweet") if isinstance(raw.get("tweet"), dict) else raw
    entities = _dict(tweet.get("extended_entities")) or _dict(tweet.get("entities"))
    return [_dict(item).get("media_url_https") for item in _list(entities.get("media"))]


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


_READERS = {"mastodon": _mastodon, "bluesky": _bluesky, "x": _x}
