"""Fixtures for the live connector tests; nothing here may leave the machine."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fake_servers import (
    LocalHTTPServer,
    LocalJetstream,
    jetstream_events,
    refuse_non_loopback,
)


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    refuse_non_loopback(monkeypatch)


@pytest.fixture
def local_server() -> Iterator[LocalHTTPServer]:
    server = LocalHTTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def local_jetstream() -> Iterator[Callable[..., LocalJetstream]]:
    started: list[LocalJetstream] = []

    def start(events: list[Any] | None = None, drops: list[int | None] | None = None):
        server = LocalJetstream(jetstream_events() if events is None else events, drops)
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
