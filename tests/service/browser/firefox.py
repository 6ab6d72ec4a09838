"""Debian's Firefox ESR driven over WebDriver BiDi, the protocol Firefox speaks itself (Playwright's
own Firefox build cannot be downloaded here, and Debian's Firefox is not Playwright's patched
one). Only what the extension tests need: start a headless Firefox on a fresh profile, install an
extension temporarily, answer every https request it makes with a page of ours or the stand-in
PNG (so no test reaches the internet), and run JavaScript in a tab.

Values cross as JSON text: the function's arguments in, its result out, so the BiDi
serialisation of remote objects never needs decoding here.
"""

from __future__ import annotations

import base64
import collections
import itertools
import json
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from websockets.sync.client import ClientConnection, connect

from .conftest import _STAND_IN_PNG

FIREFOX = Path("/usr/bin/firefox-esr")
_LISTENING = re.compile(r"WebDriver BiDi listening on (ws://\S+)")
_STAND_IN = base64.b64encode(_STAND_IN_PNG).decode()  # for every request but our pages


class BiDiError(AssertionError):
    """A command Firefox answered with an error, or a script that threw."""


class Firefox:
    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.pages: dict[str, str] = {}  # address -> HTML served there
        self._ids = itertools.count(1)
        self.command("session.new", {"capabilities": {}})
        self.command("session.subscribe", {"events": ["network.beforeRequestSent"]})
        # Every https request of every tab waits for our answer. Plain http is left alone: the
        # tests' own servers on 127.0.0.1 answer it.
        self.command("network.addIntercept", {
            "phases": ["beforeRequestSent"],
            "urlPatterns": [{"type": "pattern", "protocol": "https"}],
        })

    def command(self, method: str, params: dict) -> dict:
        """Sends a command and returns its result, answering intercepted requests meanwhile
        (a navigation's command only returns once its page has been answered)."""
        sent = next(self._ids)
        self.socket.send(json.dumps({"id": sent, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("method") == "network.beforeRequestSent":
                self._answer(message["params"])
            elif message.get("id") == sent:
                if message["type"] == "error":
                    raise BiDiError(f"{method}: {message['error']}: {message['message']}")
                return message["result"]

    def _answer(self, event: dict) -> None:
        if not event["isBlocked"]:
            return
        html = self.pages.get(event["request"]["url"])
        content_type, body = ("text/html; charset=utf-8", {"type": "string", "value": html}) \
            if html is not None else ("image/png", {"type": "base64", "value": _STAND_IN})
        response = {
            "request": event["request"]["request"], "statusCode": 200, "reasonPhrase": "OK",
            "headers": [{"name": "Content-Type",
                         "value": {"type": "string", "value": content_type}}],
            "body": body,
        }
        # Not awaited: its reply is one more message that command() skips.
        self.socket.send(json.dumps({"id": next(self._ids), "method": "network.provideResponse",
                                     "params": response}))

    def install(self, folder: Path) -> str:
        """Installs the unpacked extension in ``folder`` temporarily, as about:debugging does;
        Firefox validates its manifest first. Returns the extension's id."""
        result = self.command("webExtension.install",
                              {"extensionData": {"type": "path", "path": str(folder)}})
        return result["extension"]

    def tabs(self) -> list[dict]:
        return self.command("browsingContext.getTree", {"maxDepth": 0})["contexts"]

    def open(self, url: str) -> str:
        """A new tab, in front, showing ``url``; returns its browsing context id."""
        tab = self.command("browsingContext.create", {"type": "tab"})["context"]
        self.command("browsingContext.navigate", {"context": tab, "url": url, "wait": "complete"})
        self.command("browsingContext.activate", {"context": tab})
        return tab

    def close(self, tab: str) -> None:
        self.command("browsingContext.close", {"context": tab})

    def call(self, tab: str, function: str, *args):
        """Runs the JavaScript ``function`` in the tab's page with ``args``; returns its result,
        awaited."""
        result = self.command("script.callFunction", {
            "functionDeclaration":
                f"async (json) => JSON.stringify(await ({function})(...JSON.parse(json)))",
            "arguments": [{"type": "string", "value": json.dumps(args)}],
            "target": {"context": tab}, "awaitPromise": True,
        })
        if result["type"] == "exception":
            raise BiDiError(result["exceptionDetails"]["text"])
        value = result["result"].get("value")
        return None if value is None else json.loads(value)


@contextmanager
def firefox(profile: Path, time_zone: str = "UTC") -> Iterator[Firefox]:
    """A headless Firefox on the empty ``profile``, in ``time_zone`` (an IANA name); skipped
    when Firefox ESR is missing, failing when CI is set (as the Chromium tests do)."""
    if not FIREFOX.exists():
        message = f"{FIREFOX} is missing: apt-get install -y firefox-esr"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    profile.mkdir(parents=True, exist_ok=True)  # Firefox waits, silent, on a missing one
    process = subprocess.Popen(
        [str(FIREFOX), "--headless", "--remote-debugging-port=0", "--profile", str(profile),
         "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env=os.environ | {"TZ": time_zone},
    )
    try:
        address = _listening_address(process)
        # Firefox logs on after start-up: read on, or a full pipe would stall it.
        threading.Thread(target=collections.deque, args=(process.stderr, 0), daemon=True).start()
        with connect(address + "/session", max_size=None) as socket:
            yield Firefox(socket)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _listening_address(process: subprocess.Popen) -> str:
    for line in process.stderr:
        found = _LISTENING.search(line)
        if found:
            return found.group(1)
    raise BiDiError(f"Firefox exited ({process.wait()}) before WebDriver BiDi listened")
