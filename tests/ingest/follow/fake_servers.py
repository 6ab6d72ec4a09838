"""Local stand-ins for the platforms on 127.0.0.1: an HTTP server and a Jetstream websocket
server that replay data in each platform's documented format and record what they were sent."""

from __future__ import annotations

import ipaddress
import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_json(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # JSON-encoded unless bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SeenRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: Message
    body: bytes

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None


Handler = Callable[[SeenRequest], Reply]


def in_order(*replies: Reply) -> Handler:
    """A handler giving ``replies`` one per request; one request too many fails the test."""
    pending = list(replies)

    def handle(request: SeenRequest) -> Reply:
        if not pending:
            return Reply(500, {"error": f"test server: no reply left for {request.path}"})
        return pending.pop(0)

    return handle


class LocalHTTPServer:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Handler] = {}
        self.requests: list[SeenRequest] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, path: str, handler: Handler, method: str = "GET") -> None:
        self.routes[(method, path)] = handler

    def requests_to(self, path: str) -> list[SeenRequest]:
        return [request for request in self.requests if request.path == path]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class RequestHandler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._answer("GET")

            def do_POST(self) -> None:
                self._answer("POST")

            def _answer(self, method: str) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = SeenRequest(
                    method, parts.path, parse_qs(parts.query), self.headers, self.rfile.read(length)
                )
                server.requests.append(request)
                handler = server.routes.get((method, parts.path))
                reply = handler(request) if handler else Reply(404, {"error": "no such route"})
                body = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body)
                payload = body.encode() if isinstance(body, str) else body
                self.send_response(reply.status)
                headers = {"Content-Type": "application/json; charset=utf-8"} | reply.headers
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output quiet

        return RequestHandler


def jetstream_events() -> list[dict[str, Any]]:
    lines = (FIXTURES / "jetstream/events.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


class LocalJetstream:
    """A Jetstream instance on 127.0.0.1: on each connection it sends its events from the
    ``cursor`` the client asked for (all of them without one), then stays open.

    ``drops``: per connection, after how many messages to drop it (None: never), to make the
    client reconnect.
    """

    def __init__(self, events: list[Any], drops: list[int | None] | None = None) -> None:
        self.events = events
        self.drops = list(drops or [])
        self.paths: list[str] = []
        self._server = serve(self._handle, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.socket.getsockname()[:2]
        return f"ws://{host}:{port}/subscribe"

    def cursors(self) -> list[int | None]:
        """The cursor each connection asked for."""
        asked = [parse_qs(urlsplit(path).query).get("cursor") for path in self.paths]
        return [int(values[0]) if values else None for values in asked]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()

    def _handle(self, connection: ServerConnection) -> None:
        self.paths.append(connection.request.path)
        cursor = self.cursors()[-1]
        drop_after = self.drops.pop(0) if self.drops else None
        pending = [
            event
            for event in self.events
            if cursor is None or not isinstance(event, dict) or event["time_us"] >= cursor
        ]
        for event in pending if drop_after is None else pending[:drop_after]:
            connection.send(event if isinstance(event, str) else json.dumps(event))
        if drop_after is not None:
            connection.close()
            return
        try:
            for _ in connection:  # idle until the client leaves
                pass
        except ConnectionClosed:
            pass


def refuse_non_loopback(monkeypatch: Any) -> None:
    """Make any connection to a non-loopback address fail the test: the connectors must be
    testable without the internet, and a default URL slipping through an option would
    otherwise reach the real service."""
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            if not ipaddress.ip_address(address[0]).is_loopback:
                raise AssertionError(f"test tried to connect to {address[0]}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
