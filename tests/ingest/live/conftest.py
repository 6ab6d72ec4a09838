"""Fixtures for the live connector tests; nothing here may leave the machine."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from live_servers import LocalHTTPServer, LocalJetstream, jetstream_events


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The connectors must be testable without the internet; make any other address fail."""
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            if not ipaddress.ip_address(address[0]).is_loopback:
                raise AssertionError(f"test tried to connect to {address[0]}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


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
