"""A real webhook receiver on 127.0.0.1 (http.server in a thread), and a confirmed public post
with an approved reply, ready to send to allies."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tropewatch.education.models import CallOut
from tropewatch.review.decisions import Decision, record
from tropewatch.review.status import Action

POST_URL = "https://x.com/poster/status/123"


@dataclass
class Receiver:
    url: str
    # The status each request gets, in turn; 200 once they run out.
    answers: list[int] = field(default_factory=list)
    received: list[tuple[str, dict]] = field(default_factory=list)


@pytest.fixture
def webhook_server(settings):
    settings.ALLIES_WEBHOOK_HTTP_HOSTS = ["127.0.0.1"]
    receiver = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            receiver.received.append((self.path, json.loads(body)))
            status = receiver.answers.pop(0) if receiver.answers else 200
            self.send_response(status)
            if status in (301, 302, 307, 308):
                self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass  # keep the test output clean

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/allies"
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def public_post(make_post, members, org):
    """Confirmed, public (an https address, read from a hashtag), with one approved reply."""
    post = make_post(url=POST_URL, categories=["holocaust_denial"])
    record(org, post.pk, members["moderator"], "moderator",
           Decision(Action.CONFIRM, categories=["holocaust_denial"]))
    CallOut.objects.create(org=org, post=post, actor_name="moderator", actor_role="moderator",
                           action="approved", tone="explain",
                           text="Denying the Holocaust is antisemitic.")
    return post
