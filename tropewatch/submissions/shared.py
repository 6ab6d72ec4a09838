"""What a phone's share sheet hands over (the PWA's share target: title, text, url), turned
into the "Submit a link" form's first values.

Apps share differently: some fill ``url``, others (Facebook's and X's apps among them) put
the link inside ``text``, after the words. The first http(s) address found is the post's
link, taken out of the text. Nothing here fetches it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

_ADDRESS = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
# Punctuation that ends a sentence around a link rather than belonging to it.
_TRAILING = ".,;:!?)]}'\""
_PLATFORM_HOSTS = {
    "facebook.com": "facebook", "fb.com": "facebook", "fb.watch": "facebook",
    "x.com": "x", "twitter.com": "x", "bsky.app": "bluesky",
}


def shared_values(shared: Mapping[str, str]) -> dict[str, str]:
    """The form's initial platform, url and text from the shared ``title``, ``text`` and
    ``url`` (each optional)."""
    title = shared.get("title", "").strip()
    text = shared.get("text", "").strip()
    url = shared.get("url", "").strip()
    if url:
        text = _tidy(text.replace(url, ""))  # some apps send the link in both
    else:
        url, text = _take_address(text)
    if not url:
        url, title = _take_address(title)
    values = {"url": url, "text": text or title}
    platform = _platform(url)
    if platform:
        values["platform"] = platform
    return {key: value for key, value in values.items() if value}


def _take_address(text: str) -> tuple[str, str]:
    match = _ADDRESS.search(text)
    if match is None:
        return "", text
    address = match.group().rstrip(_TRAILING)
    return address, _tidy(text[: match.start()] + text[match.start() + len(address):])


def _tidy(text: str) -> str:
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def _platform(url: str) -> str:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    for domain, platform in _PLATFORM_HOSTS.items():
        if host == domain or host.endswith("." + domain):
            return platform
    return ""
