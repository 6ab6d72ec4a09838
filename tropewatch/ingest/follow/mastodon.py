"""Mastodon REST API: hashtag timelines and account statuses, newest first.

Pages follow the ``Link: <...>; rel="next"`` header the server sends, as the API documentation
asks clients to, rather than building ``max_id`` URLs by hand. ``since_id`` bounds a walk to
statuses newer than one already stored; Mastodon leaves it out of its ``next`` links, so it is
added back to each of them.

With a ``CursorStore`` the newest status id seen becomes the next run's ``since_id``. It is
stored only once a walk has reached its end (or on a first run, which has no older bound to
miss), so a run cut short by ``limit`` or an error never skips the statuses it did not reach.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import httpx

from ..mastodon.parser import status_to_record
from ..records import PostRecord, RecordError
from .convert import LiveConverter
from .cursor import CursorStore
from .errors import LiveSourceError

MAX_PAGE_SIZE = 40  # the documented maximum of `limit` for both endpoints
DEFAULT_RATE_LIMIT_WAIT = 60.0  # a 429 that says nothing about when to retry
USER_AGENT = "tropewatch (live connector)"


class MastodonClient:
    """One Mastodon server, optionally authenticated with an access token.

    Rate limits: a 429 answer is retried after ``Retry-After`` or ``X-RateLimit-Reset`` says,
    at most ``max_rate_limit_retries`` times and never waiting longer than
    ``max_rate_limit_wait`` seconds; beyond that a ``LiveSourceError`` says when to come back.
    """

    def __init__(
        self,
        base_url: str,
        access_token: str | None = None,
        *,
        timeout: float = 30.0,
        max_rate_limit_wait: float = 300.0,
        max_rate_limit_retries: int = 3,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("https", "http") or not parts.netloc:
            raise ValueError(f"Mastodon base URL must be http(s)://host, got {base_url!r}")
        self.base_url = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
        self._origin = (parts.scheme, parts.netloc)
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if access_token:
            headers["Authorization"] = f"Bearer {access_token}"
        self._http = httpx.Client(headers=headers, timeout=timeout, follow_redirects=False)
        self._max_rate_limit_wait = max_rate_limit_wait
        self._max_rate_limit_retries = max_rate_limit_retries
        self._sleep = sleep
        self._now = now

    def __enter__(self) -> MastodonClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def url(self, path: str) -> str:
        return self.base_url + path

    def get_page(self, url: str) -> tuple[list[Any], str | None]:
        """The JSON array at ``url`` and the URL of the next (older) page, if any."""
        response = self._get(url)
        endpoint = f"GET {url}"
        try:
            items = response.json()
        except ValueError as exc:
            raise LiveSourceError(f"{endpoint}: answer is not JSON: {exc}") from exc
        if not isinstance(items, list):
            raise LiveSourceError(
                f"{endpoint}: expected a JSON array of statuses, got {type(items).__name__}"
            )
        next_url = response.links.get("next", {}).get("url")
        if next_url is not None:
            self._check_same_server(next_url, endpoint)
        return items, next_url

    def get_object(self, url: str) -> Mapping[str, Any]:
        response = self._get(url)
        try:
            value = response.json()
        except ValueError as exc:
            raise LiveSourceError(f"GET {url}: answer is not JSON: {exc}") from exc
        if not isinstance(value, Mapping):
            raise LiveSourceError(f"GET {url}: expected a JSON object, got {type(value).__name__}")
        return value

    def _get(self, url: str) -> httpx.Response:
        endpoint = f"GET {url}"
        for attempt in range(self._max_rate_limit_retries + 1):
            try:
                response = self._http.get(url)
            except httpx.HTTPError as exc:
                raise LiveSourceError(f"{endpoint}: request failed: {exc}") from exc
            if response.status_code != 429:
                break
            wait = self._rate_limit_wait(response)
            if attempt == self._max_rate_limit_retries or wait > self._max_rate_limit_wait:
                raise LiveSourceError(
                    f"{endpoint}: rate limited (HTTP 429); the server asks to wait "
                    f"{wait:.0f} s, more than this client waits or retries"
                )
            self._sleep(wait)
        if response.status_code != 200:
            raise LiveSourceError(
                f"{endpoint}: HTTP {response.status_code}{_error_detail(response)}"
            )
        return response

    def _rate_limit_wait(self, response: httpx.Response) -> float:
        """Seconds to wait before retrying a 429, from the headers Mastodon documents."""
        retry_after = response.headers.get("Retry-After")
        if retry_after is not None:
            retry_after = retry_after.strip()
            if retry_after.isascii() and retry_after.isdigit():
                return float(retry_after)
            until = _parse_header_time(retry_after, http_date=True)
            if until is not None:
                return max(0.0, (until - self._now()).total_seconds())
        reset = response.headers.get("X-RateLimit-Reset")
        until = _parse_header_time(reset) if reset else None
        if until is not None:
            return max(0.0, (until - self._now()).total_seconds())
        return DEFAULT_RATE_LIMIT_WAIT

    def _check_same_server(self, url: str, endpoint: str) -> None:
        # The access token goes with every request, so a next link to another host would hand
        # it to whoever that host is.
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != self._origin:
            raise LiveSourceError(f"{endpoint}: next page link leaves the server: {url}")


def tag_timeline(
    client: MastodonClient,
    hashtag: str,
    *,
    limit: int | None = None,
    since_id: str | None = None,
    max_id: str | None = None,
    local_only: bool = False,
    page_size: int = MAX_PAGE_SIZE,
    cursor_store: CursorStore | None = None,
    cursor_key: str | None = None,
) -> Iterator[PostRecord | RecordError]:
    """Public statuses tagged ``hashtag`` (``GET /api/v1/timelines/tag/:hashtag``)."""
    tag = hashtag.removeprefix("#")
    if not tag:
        raise ValueError("hashtag is empty")
    params: dict[str, str] = {"local": "true"} if local_only else {}
    yield from _walk(
        client,
        f"/api/v1/timelines/tag/{quote(tag, safe='')}",
        params,
        limit=limit,
        since_id=since_id,
        max_id=max_id,
        page_size=page_size,
        cursor_store=cursor_store,
        cursor_key=cursor_key or f"mastodon:{client.base_url}:tag:{tag.casefold()}",
    )


def account_statuses(
    client: MastodonClient,
    account_id: str,
    *,
    limit: int | None = None,
    since_id: str | None = None,
    max_id: str | None = None,
    exclude_replies: bool = False,
    exclude_reblogs: bool = True,
    page_size: int = MAX_PAGE_SIZE,
    cursor_store: CursorStore | None = None,
    cursor_key: str | None = None,
) -> Iterator[PostRecord | RecordError]:
    """Statuses posted by one account (``GET /api/v1/accounts/:id/statuses``).

    Boosts are left out by default: a boost carries someone else's status, which belongs to
    that author's timeline, not to this account's words.
    """
    params = {}
    if exclude_replies:
        params["exclude_replies"] = "true"
    if exclude_reblogs:
        params["exclude_reblogs"] = "true"
    yield from _walk(
        client,
        f"/api/v1/accounts/{quote(account_id, safe='')}/statuses",
        params,
        limit=limit,
        since_id=since_id,
        max_id=max_id,
        page_size=page_size,
        cursor_store=cursor_store,
        cursor_key=cursor_key or f"mastodon:{client.base_url}:account:{account_id}",
    )


def lookup_account_id(client: MastodonClient, acct: str) -> str:
    """The account id for ``user`` or ``user@domain`` (``GET /api/v1/accounts/lookup``)."""
    url = client.url("/api/v1/accounts/lookup?" + urlencode({"acct": acct.removeprefix("@")}))
    account_id = client.get_object(url).get("id")
    if not isinstance(account_id, str) or not account_id:
        raise LiveSourceError(f"GET {url}: account has no id")
    return account_id


def _walk(
    client: MastodonClient,
    path: str,
    params: dict[str, str],
    *,
    limit: int | None,
    since_id: str | None,
    max_id: str | None,
    page_size: int,
    cursor_store: CursorStore | None,
    cursor_key: str,
) -> Iterator[PostRecord | RecordError]:
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size must be 1..{MAX_PAGE_SIZE}, got {page_size}")
    if since_id is None and cursor_store is not None:
        since_id = cursor_store.get(cursor_key)
    query = dict(params, limit=str(page_size))
    if max_id is not None:
        query["max_id"] = max_id
    if since_id is not None:
        query["since_id"] = since_id
    url: str | None = client.url(path) + "?" + urlencode(query)
    converter = LiveConverter(client.url(path), status_to_record)
    newest_id: str | None = None
    yielded = 0
    while url is not None:
        statuses, next_url = client.get_page(url)
        if newest_id is None:
            newest_id = _first_status_id(statuses)
        for item in converter.convert(statuses):
            yield item
            yielded += isinstance(item, PostRecord)
            if limit is not None and yielded >= limit:
                if since_id is None and max_id is None:
                    _store(cursor_store, cursor_key, newest_id)
                return
        url = _with_since_id(next_url, since_id) if statuses and next_url else None
    if max_id is None:
        _store(cursor_store, cursor_key, newest_id)


def _first_status_id(statuses: list[Any]) -> str | None:
    """The newest id on a page (pages are newest first); malformed statuses are reported by
    the converter, so they are only passed over here."""
    for status in statuses:
        status_id = status.get("id") if isinstance(status, Mapping) else None
        if isinstance(status_id, str) and status_id:
            return status_id
    return None


def _store(cursor_store: CursorStore | None, key: str, newest_id: str | None) -> None:
    if cursor_store is not None and newest_id is not None:
        cursor_store.set(key, newest_id)


def _with_since_id(url: str, since_id: str | None) -> str:
    if since_id is None:
        return url
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(name == "since_id" for name, _ in query):
        return url
    return urlunsplit(parts._replace(query=urlencode([*query, ("since_id", since_id)])))


def _parse_header_time(value: str, *, http_date: bool = False) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value) if http_date else datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _error_detail(response: httpx.Response) -> str:
    """Mastodon's ``{"error": "..."}`` message, shortened: the body is the server's words."""
    try:
        body = response.json()
    except ValueError:
        return ""
    message = body.get("error") if isinstance(body, Mapping) else None
    return f": {message[:200]}" if isinstance(message, str) else ""
