"""Bluesky's Jetstream: every new post on the network as JSON over a websocket, resumable.

Jetstream numbers events by ``time_us``, the microsecond its instance received them, and
replays from any ``cursor`` it is given. Its documentation asks consumers to resume a few
seconds before their last ``time_us``, because instances number the same event slightly
differently; the posts seen again in those seconds are recognised by their URI and skipped.
So the stored cursor is the last ``time_us`` handled plus the URIs of the posts delivered in
the rewind window before it (a bare ``time_us`` is accepted too, e.g. one set by hand).

A post counts as handled once the caller asks for the next one, or leaves the ``with`` block
without an exception. A crash in between makes the next run deliver that post again rather
than lose it, and cursors are only written every ``checkpoint_every`` events, so after a hard
kill the posts since the last checkpoint come again: the importer stores each post once.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from websockets.exceptions import WebSocketException
from websockets.sync.client import ClientConnection, connect

from ..bluesky.posts import POST_TYPE, jetstream_event_to_record
from ..errors import InvalidRecord
from ..records import PostRecord, RecordError
from .cursor import CursorStore
from .errors import LiveSourceError

DEFAULT_URL = "wss://jetstream2.us-east.bsky.network/subscribe"
DEFAULT_REWIND_SECONDS = 5.0
_CONNECTION_FAILURES = (WebSocketException, OSError)


class JetstreamConsumer:
    """Posts from a Jetstream instance: ``with JetstreamConsumer(...) as posts: for p in posts``.

    Stops cleanly after ``max_events`` events (of any kind) or ``timeout`` seconds, when given;
    otherwise it runs until the caller stops. A dropped connection is reopened from the cursor
    after an exponential backoff; ``max_reconnects`` failures in a row without an event, or a
    ``timeout`` that passes before any connection opened, end the stream with a
    ``LiveSourceError``.
    """

    def __init__(
        self,
        url: str = DEFAULT_URL,
        *,
        cursor_store: CursorStore | None = None,
        cursor_key: str = "bluesky:jetstream",
        wanted_dids: Sequence[str] = (),
        checkpoint_every: int = 100,
        rewind_seconds: float = DEFAULT_REWIND_SECONDS,
        max_events: int | None = None,
        timeout: float | None = None,
        max_reconnects: int = 5,
        backoff_initial: float = 0.5,
        backoff_max: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("ws", "wss") or not parts.netloc:
            raise ValueError(f"Jetstream URL must be ws(s)://host/subscribe, got {url!r}")
        if checkpoint_every < 1:
            raise ValueError("checkpoint_every must be at least 1")
        self.url = url
        self._cursor_store = cursor_store
        self._cursor_key = cursor_key
        self._wanted_dids = tuple(wanted_dids)
        self._checkpoint_every = checkpoint_every
        self._rewind_us = int(rewind_seconds * 1_000_000)
        self._max_events = max_events
        self._timeout = timeout
        self._max_reconnects = max_reconnects
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._sleep = sleep
        self._clock = clock

        self._time_us: int | None = None  # the last event handled
        self._recent: dict[str, int] = {}  # uri -> time_us of posts delivered lately, in order
        self._in_flight: tuple[int, str] | None = None  # (time_us, uri) of the post out now
        self._since_checkpoint = 0
        self._events_read = 0
        self._stream: Generator[PostRecord | RecordError, None, None] | None = None
        self._load()

    def __enter__(self) -> JetstreamConsumer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        self.close(handled=exc_type is None)

    def __iter__(self) -> Iterator[PostRecord | RecordError]:
        if self._stream is not None:
            raise RuntimeError("a JetstreamConsumer can be iterated only once")
        self._stream = self._run()
        return self._stream

    @property
    def cursor(self) -> int | None:
        """``time_us`` of the last event handled; where the next run resumes (less the rewind)."""
        return self._time_us

    def close(self, handled: bool = True) -> None:
        """Stop reading and store the cursor. ``handled``: the caller dealt with the last post
        it was given (False after an error, so the next run delivers that post again)."""
        if self._stream is not None:
            self._stream.close()
        if handled and self._in_flight is not None:
            self._acknowledge(*self._in_flight)
        self._save()

    def subscribe_url(self) -> str:
        """The URL to (re)connect to: the configured one, filtered to posts, from the cursor."""
        parts = urlsplit(self.url)
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "cursor"]
        if not any(key == "wantedCollections" for key, _ in query):
            query.append(("wantedCollections", POST_TYPE))
        query.extend(("wantedDids", did) for did in self._wanted_dids)
        if self._time_us is not None:
            query.append(("cursor", str(max(0, self._time_us - self._rewind_us))))
        return urlunsplit(parts._replace(query=urlencode(query)))

    def _run(self) -> Generator[PostRecord | RecordError, None, None]:
        started = self._clock()
        failures = 0
        connected = False
        try:
            while True:
                events_before = self._events_read
                # Only the socket calls are guarded: a failing cursor store or a malformed event
                # must end the stream, not look like a dropped connection.
                try:
                    socket = connect(self.subscribe_url(), open_timeout=10)
                except _CONNECTION_FAILURES as exc:
                    error: Exception | None = exc
                else:
                    connected = True
                    with socket:
                        error = yield from self._read(socket, started)
                    if error is None:
                        return
                failures = 0 if self._events_read > events_before else failures + 1
                if failures > self._max_reconnects:
                    raise LiveSourceError(
                        f"Jetstream {self.url}: gave up after {failures} connection attempts "
                        f"failed in a row: {error}"
                    )
                delay = min(self._backoff_max, self._backoff_initial * 2 ** max(0, failures - 1))
                remaining = self._remaining(started)
                if remaining is not None and remaining <= delay:
                    if not connected:
                        # "0 records" would read as a quiet network, not an unreachable one.
                        raise LiveSourceError(
                            f"Jetstream {self.url}: could not connect in {self._timeout:g} s "
                            f"({failures} attempts): {error}"
                        )
                    return
                self._sleep(delay)
        finally:
            self._save()

    def _read(
        self, socket: ClientConnection, started: float
    ) -> Generator[PostRecord | RecordError, None, Exception | None]:
        """The posts from one connection. Returns the error that dropped it, or None when the
        stream should stop (``max_events`` or ``timeout`` reached)."""
        while True:
            try:
                message = self._receive(socket, started)
            except _CONNECTION_FAILURES as exc:
                return exc
            if message is None:
                return None
            yield from self._handle(self._decode(message))
            if self._max_events is not None and self._events_read >= self._max_events:
                return None

    def _receive(self, socket: ClientConnection, started: float) -> str | bytes | None:
        remaining = self._remaining(started)
        if remaining is not None and remaining <= 0:
            return None
        try:
            return socket.recv(timeout=remaining)
        except TimeoutError:
            return None

    def _remaining(self, started: float) -> float | None:
        return None if self._timeout is None else self._timeout - (self._clock() - started)

    def _decode(self, message: str | bytes) -> dict[str, Any]:
        self._events_read += 1
        where = f"Jetstream {self.url}: event {self._events_read}"
        if not isinstance(message, str):
            raise LiveSourceError(f"{where}: binary frame; compressed streams are not supported")
        try:
            event = json.loads(message)
        except json.JSONDecodeError as exc:
            raise LiveSourceError(f"{where}: not JSON: {exc.msg}") from exc
        if not isinstance(event, dict):
            raise LiveSourceError(f"{where}: not a JSON object")
        time_us = event.get("time_us")
        if not isinstance(time_us, int) or isinstance(time_us, bool) or time_us < 0:
            raise LiveSourceError(f"{where}: time_us is not a non-negative integer")
        return event

    def _handle(self, event: dict[str, Any]) -> Iterator[PostRecord | RecordError]:
        time_us = event["time_us"]
        commit = event.get("commit")
        # Only new posts: deletions, likes, follows, profile changes, identity and account
        # events tell us nothing to scan (an edited post arrives as "update", which the shared
        # converter does not take either).
        is_new_post = (
            event.get("kind") == "commit"
            and isinstance(commit, dict)
            and commit.get("collection") == POST_TYPE
            and commit.get("operation") == "create"
        )
        if not is_new_post:
            self._acknowledge(time_us, None)
            return
        uri = f"at://{event.get('did')}/{POST_TYPE}/{commit.get('rkey')}"
        if uri in self._recent:
            self._acknowledge(time_us, None)
            return
        try:
            result: PostRecord | RecordError = jetstream_event_to_record(event)
        except InvalidRecord as exc:
            result = RecordError(
                f"Jetstream {self.url}", None, self._events_read, exc.message, exc.kind
            )
        self._in_flight = (time_us, uri)
        yield result
        self._acknowledge(time_us, uri)

    def _acknowledge(self, time_us: int, uri: str | None) -> None:
        self._in_flight = None
        self._time_us = time_us if self._time_us is None else max(self._time_us, time_us)
        if uri is not None:
            self._recent[uri] = time_us
        # Keep only the posts that a resume from this cursor would be sent again.
        oldest = self._time_us - self._rewind_us
        while self._recent:
            old_uri, old_time = next(iter(self._recent.items()))
            if old_time >= oldest:
                break
            del self._recent[old_uri]
        self._since_checkpoint += 1
        if self._since_checkpoint >= self._checkpoint_every:
            self._save()

    def _save(self) -> None:
        self._since_checkpoint = 0
        if self._cursor_store is None or self._time_us is None:
            return
        state = {"time_us": self._time_us, "recent": list(self._recent)}
        self._cursor_store.set(self._cursor_key, json.dumps(state, separators=(",", ":")))

    def _load(self) -> None:
        stored = self._cursor_store.get(self._cursor_key) if self._cursor_store else None
        if stored is None:
            return
        where = f"Jetstream cursor {self._cursor_key!r}"
        try:
            state = json.loads(stored)
        except json.JSONDecodeError as exc:
            raise LiveSourceError(f"{where} is not JSON: {exc.msg}") from exc
        if isinstance(state, int) and not isinstance(state, bool):
            state = {"time_us": state, "recent": []}
        time_us = state.get("time_us") if isinstance(state, dict) else None
        recent = state.get("recent", []) if isinstance(state, dict) else None
        if (
            not isinstance(time_us, int)
            or isinstance(time_us, bool)
            or not isinstance(recent, list)
            or not all(isinstance(uri, str) for uri in recent)
        ):
            raise LiveSourceError(f"{where} must be a time_us or {{time_us, recent: [uri]}}")
        self._time_us = time_us
        # Their exact times were not kept; the cursor's time keeps them for one rewind window.
        self._recent = dict.fromkeys(recent, time_us)
