"""Deciding whether an address from post data may become a link."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f\"'<>\\`]")


def external_url(url: str | None) -> str | None:
    """``url`` if it is a plain http(s) address with a host, else None: never a javascript:,
    data: or relative link, and nothing a browser could read differently from us."""
    if not url or len(url) > 2000 or _UNSAFE.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    return url


def https_url(url: str | None) -> str | None:
    """As ``external_url``, for addresses the browser will fetch by itself (images)."""
    safe = external_url(url)
    return safe if safe and urlsplit(safe).scheme.lower() == "https" else None
