"""One spelling for each post's address, so that two supporters flagging the same post from
different links (a share link with tracking parameters, a copy with a fragment) meet on one item.

Only the text of the address is read: the server never fetches a submitted URL.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MAX_URL_LENGTH = 2000
# Parameters that say how someone arrived, never which post: dropped.
_TRACKING = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "igshid", "mc_cid", "mc_eid", "ref_src", "ref_url",
    "si", "__cft__", "__tn__", "mibextid", "rdid",
})
# X's share links add ?s=20&t=...; elsewhere s and t may name the content (a time, a search).
_TRACKING_ON = {host: frozenset({"s", "t"}) for host in ("x.com", "twitter.com")}


class NotAPermalink(ValueError):
    """Not an http(s) address with a host."""


def normalise_url(url: str) -> str:
    """Lowercase scheme and host, no default port, no tracking parameters (``utm_*`` and
    ``_TRACKING``), no fragment, no trailing slash; other parameters keep their order."""
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise NotAPermalink(f"url is longer than {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise NotAPermalink("url is not a valid address") from exc
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in {"http", "https"} or not host:
        raise NotAPermalink("url must be an http or https address with a host")
    if port is not None and port != {"http": 80, "https": 443}[scheme]:
        host = f"{host}:{port}"
    dropped = _TRACKING | _TRACKING_ON.get(host.removeprefix("www."), frozenset())
    query = [
        (key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _tracking(key, dropped)
    ]
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def _tracking(key: str, dropped: frozenset[str]) -> bool:
    name = key.lower().partition("[")[0]  # Facebook writes __cft__[0]=...
    return name.startswith("utm_") or name in dropped
