"""The browser extension (extension/) loaded unpacked into real Chromium: its extractors against
saved page fixtures of Facebook, X, Bluesky and Mastodon (served at their real addresses), and
the flag flow against a small local server that answers as the API contract says.

What is and is not exercised. Playwright cannot right-click into Chromium's native context menu
nor click the toolbar button, and so cannot grant activeTab. The tests therefore load a copy of
the extension whose manifest also asks for <all_urls>, and call the
background script's own functions through its service worker, the functions the menu and the
popup call: ``flagFromMenu(info, tab)`` (what the context-menu listener runs) and
``prepareDraft(tab, hints)`` (what the popup asks for). Everything after that is real: the
extractors injected with chrome.scripting, the screenshot from captureVisibleTab, the form in the
window the menu opens (typed into and clicked), the fetch to the server, the queue
in chrome.storage.local and the chrome.alarms listener that retries it. Not exercised: the
listeners' two lines of wiring, activeTab itself, the toolbar popup's query for the active tab,
the options page's permission prompt, CORS (<all_urls> lets the extension's fetch past it, as the
server's origin permission asked for on the options page does). Firefox: see
test_extension_firefox.py, which reuses this module's fixtures and cases.

Setting the server and token in a test (the end-to-end test against the real API does it
too): ``service_worker.evaluate("([s, t]) => tropewatch.writeSettings(s, t)", [url, token])``.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

EXTENSION = Path(__file__).resolve().parents[3] / "extension"
PAGES = Path(__file__).parent / "fixtures" / "pages"
# The fixtures' real addresses: the extractors see the hosts they would see.
FIXTURES = {
    "https://www.facebook.com/groups/4455667788/": "facebook-group.html",
    "https://x.com/home": "x-timeline.html",
    "https://bsky.app/": "bluesky-feed.html",
    "https://mastodon.example/home": "mastodon-home.html",
    "https://news.example/2026/11/story": None,  # a page of none of the four platforms
}
TOKEN = "tw_test_token_0123456789"
# Bluesky shows local times: a zone other than UTC shows they are converted.
TIME_ZONE = "America/New_York"
NEWS_PAGE = "<!DOCTYPE html><title>News</title><p>A quoted line about bankers.</p>"


class ContractServer:
    """The API's submission endpoint as the contract describes it, on 127.0.0.1, in a thread:
    records each request, and answers with ``reply`` (status, JSON, headers), and the CORS
    headers the real API gives /api/."""

    def __init__(self, port: int = 0) -> None:
        self.requests: list[dict] = []
        self.reply: tuple[int, dict, dict] = (201, contract_reply(), {})
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet test output
                pass

            def _cors(self) -> None:
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type")
                self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")

            def do_OPTIONS(self) -> None:
                self.send_response(204)
                self._cors()
                self.end_headers()

            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                server.requests.append({
                    "path": self.path,
                    "authorization": self.headers["Authorization"],
                    "content_type": self.headers["Content-Type"],
                    "json": json.loads(self.rfile.read(length)),
                })
                status, body, headers = server.reply
                payload = json.dumps(body).encode()
                self.send_response(status)
                self._cors()
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def contract_reply(**changes) -> dict:
    reply = {
        "item_id": 123,
        "merged": False,
        "reporters": 1,
        "verdict": {"antisemitic": True, "score": 0.83, "categories": ["rothschild_soros"],
                    "explanation": "Names the Rothschilds as owning the banks and the media."},
        "explainer": {"category": "rothschild_soros", "title": "Rothschild and Soros myths",
                      "text": "A Jewish family stands in for a secret power over the world."},
        "status_url": "http://127.0.0.1:1/submissions/123",
    }
    return reply | changes


@pytest.fixture(scope="module")
def extension_copy(tmp_path_factory) -> Path:
    """The extension as shipped, but for a host permission on every page, which stands in for
    the activeTab grant a real click gives (see the top of this module). Host permissions for
    the fixtures' hosts alone are not enough: captureVisibleTab wants activeTab or <all_urls>."""
    copy = tmp_path_factory.mktemp("extension") / "extension"
    shutil.copytree(EXTENSION, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["host_permissions"] = ["<all_urls>"]
    (copy / "manifest.json").write_text(json.dumps(manifest))
    return copy


@pytest.fixture(scope="module")
def chromium(browser, extension_copy, tmp_path_factory) -> Iterator[tuple[object, object]]:
    """A Chromium profile with the extension loaded: (context, its service worker). Debian's
    Chromium loads unpacked extensions in the new headless mode."""
    context = browser.browser_type.launch_persistent_context(
        tmp_path_factory.mktemp("profile"),
        executable_path=str(CHROMIUM),
        headless=True,
        args=[*[a for a in CHROMIUM_ARGS if a != "--headless"], "--headless=new",
              f"--disable-extensions-except={extension_copy}",
              f"--load-extension={extension_copy}"],
        viewport={"width": 1280, "height": 900},
        timezone_id=TIME_ZONE,
    )
    worker = context.service_workers[0] if context.service_workers else \
        context.wait_for_event("serviceworker")
    for url, name in FIXTURES.items():
        context.route(url, _serve((PAGES / name).read_text(encoding="utf-8") if name
                                  else NEWS_PAGE))
    yield context, worker
    context.close()


def _serve(html: str):
    def answer(route) -> None:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

    return answer


@pytest.fixture
def extension(chromium) -> Iterator[tuple[object, object]]:
    """The loaded extension with empty storage, no alarm and no page open."""
    context, worker = chromium
    worker.evaluate("""async () => {
        await chrome.storage.local.clear();
        await chrome.storage.session.clear();
        await chrome.alarms.clearAll();
        await chrome.action.setBadgeText({text: ""});
    }""")
    yield context, worker
    for page in context.pages:
        page.close()


@pytest.fixture
def api() -> Iterator[ContractServer]:
    server = ContractServer()
    yield server
    server.close()


def open_fixture(context, url: str, select: str | None = None):
    page = context.new_page()
    page.goto(url)
    page.bring_to_front()
    if select:  # select the words as a supporter would, by dragging over them
        page.get_by_text(select, exact=False).first.select_text()
    return page


def prepare(worker, url: str, hints: dict | None = None) -> dict:
    """What the popup gets for the tab showing ``url``: the background's prepareDraft."""
    return worker.evaluate("""async ([url, hints]) => {
        const [tab] = await chrome.tabs.query({url});
        return tropewatch.prepareDraft(tab, hints);
    }""", [url, hints or {}])


def flag_from_menu(context, worker, url: str, hints: dict | None = None):
    """What the context menu's click runs for the tab showing ``url``; returns the window it
    opens (the flag form)."""
    with context.expect_page() as opened:
        worker.evaluate("""async ([url, hints]) => {
            const [tab] = await chrome.tabs.query({url});
            return tropewatch.flagFromMenu({menuItemId: "tropewatch-flag", pageUrl: url,
                                            ...hints}, tab);
        }""", [url, hints or {}])
    form = opened.value
    form.wait_for_load_state()
    expect(form.locator("#flag")).to_be_visible()
    return form


def configure(worker, server: str, token: str = TOKEN) -> None:
    worker.evaluate("([server, token]) => tropewatch.writeSettings(server, token)",
                    [server, token])


EXTRACTED = [
    pytest.param(
        "https://www.facebook.com/groups/4455667788/", {}, None,
        {"platform": "facebook", "found": True,
         "url": "https://www.facebook.com/groups/4455667788/posts/8811223344556677/",
         "platform_id": "8811223344556677", "author_name": "Dana Example",
         "author_handle": "100089912345678",
         "text": "The Rothschilds own the banks and the media, wake up.\n"
                 "Share before they delete this 👇"},
        id="facebook-first-post",
    ),
    pytest.param(
        "https://www.facebook.com/groups/4455667788/", {}, "Bake sale",
        {"platform": "facebook", "found": True,
         "url": "https://www.facebook.com/groups/4455667788/permalink/8811223344550001/",
         "platform_id": "8811223344550001", "author_name": "Lee Placeholder",
         "author_handle": "100077700011122",
         "text": "Bake sale for the shul roof on Sunday, everyone welcome.\nBring a friend!"},
        id="facebook-selected-post",
    ),
    pytest.param(
        "https://www.facebook.com/groups/4455667788/",
        {"linkUrl": "https://www.facebook.com/groups/4455667788/posts/8811223344556677/"
                    "?comment_id=8811223344999001&__cft__[0]=AZX"}, None,
        {"platform": "facebook", "found": True,
         "url": "https://www.facebook.com/groups/4455667788/posts/8811223344556677/"
                "?comment_id=8811223344999001",
         "platform_id": "8811223344999001", "author_name": "Sam Invented",
         "author_handle": "sam.invented.42",
         "text": "That is an old antisemitic conspiracy theory."},
        id="facebook-comment-by-its-link",
    ),
    pytest.param(
        "https://x.com/home", {}, None,
        {"platform": "x", "found": True,
         "url": "https://x.com/jordan_invented/status/1861234567890123456",
         "platform_id": "1861234567890123456", "author_name": "Jordan 🌻 Invented",
         "author_handle": "jordan_invented", "posted_at": "2026-11-20T09:15:00.000Z",
         "text": "Globalists like the Rothschilds pull every string 🧵 read this"},
        id="x-first-post",
    ),
    pytest.param(
        "https://x.com/home", {"linkUrl": "https://x.com/robin_sample/status/1861234567890999999?s=20"},
        None,
        {"platform": "x", "found": True,
         "url": "https://x.com/robin_sample/status/1861234567890999999",
         "platform_id": "1861234567890999999", "author_name": "Robin Sample",
         "author_handle": "robin_sample", "posted_at": "2026-11-20T10:30:00.000Z",
         "text": "This is exactly the dual loyalty smear. Do better."},
        id="x-quoting-post-by-its-link",
    ),
    pytest.param(
        "https://bsky.app/", {}, None,
        {"platform": "bluesky", "found": True,
         "url": "https://bsky.app/profile/alex-invented.bsky.social/post/3lbq7abcxyz2k",
         "platform_id": "at://alex-invented.bsky.social/app.bsky.feed.post/3lbq7abcxyz2k",
         "author_name": "Alex Invented", "author_handle": "alex-invented.bsky.social",
         "posted_at": "2026-11-20T15:00:00.000Z",
         "text": "The Holocaust never happened the way they say.\n\nDo your own research."},
        id="bluesky-first-post",
    ),
    pytest.param(
        "https://bsky.app/", {}, "Lighting candles",
        {"platform": "bluesky", "found": True,
         "url": "https://bsky.app/profile/did:plc:inventedinvented00000001/post/3lbq7defuvw3m",
         "platform_id": "at://did:plc:inventedinvented00000001/app.bsky.feed.post/3lbq7defuvw3m",
         "author_name": "Morgan Placeholder",
         "author_handle": "did:plc:inventedinvented00000001",
         "posted_at": "2026-11-20T01:05:00.000Z",
         "text": "Lighting candles tonight with the family."},
        id="bluesky-selected-post",
    ),
    pytest.param(
        "https://mastodon.example/home", {}, None,
        {"platform": "mastodon", "found": True,
         "url": "https://mastodon.example/@casey/113508000000000001",
         "platform_id": "113508000000000001", "author_name": "Casey :blobcat: Invented",
         "author_handle": "casey@mastodon.example", "posted_at": "2026-11-20T11:00:00.000Z",
         "text": "Zionists control the banks, look it up #truth\nLink: https://example.com/x"},
        id="mastodon-first-post",
    ),
    pytest.param(
        "https://mastodon.example/home", {}, "Riley Sample",
        {"platform": "mastodon", "found": True,
         "url": "https://mastodon.example/@riley@other.example/113508000000000002",
         "platform_id": "113508000000000002", "author_name": "Riley Sample",
         "author_handle": "riley@other.example", "posted_at": "2026-11-19T18:45:00.000Z",
         "text": "CW: antisemitism quoted\n"
                 "Someone in my replies said \"Jews killed Jesus\". Reported."},
        id="mastodon-content-warning",
    ),
    pytest.param(
        "https://news.example/2026/11/story", {}, "about bankers",
        {"platform": "other", "found": False, "url": "https://news.example/2026/11/story",
         "text": "A quoted line about bankers."},
        id="not-a-platform-sends-address-and-selection",
    ),
]


@pytest.mark.parametrize(("url", "hints", "select", "expected"), EXTRACTED)
def test_the_extractor_reads_the_post_meant(extension, url, hints, select, expected):
    context, worker = extension
    open_fixture(context, url, select)
    draft = prepare(worker, url, hints)
    read = {key: draft[key] for key in draft if key not in ("seen_at", "screenshot")}
    assert read == expected
    screenshot = base64.b64decode(draft["screenshot"])
    assert screenshot[:3] == b"\xff\xd8\xff"  # a JPEG of the visible tab


FACEBOOK = "https://www.facebook.com/groups/4455667788/"


def _jpeg(encoded: str) -> bytes:
    data = base64.b64decode(encoded, validate=True)
    assert data[:3] == b"\xff\xd8\xff"
    return data


def test_a_flag_sends_the_contract_json_and_shows_the_verdict_at_once(extension, api):
    context, worker = extension
    configure(worker, api.url)
    api.reply = (201, contract_reply(status_url=api.url + "/submissions/123"), {})
    open_fixture(context, FACEBOOK)

    form = flag_from_menu(context, worker, FACEBOOK)
    expect(form.locator("#found")).to_have_text(
        "Facebook post by Dana Example (100089912345678)")
    form.get_by_label("Note for the moderators").fill("Third time this week in this group.")
    form.get_by_label("What kind of antisemitism, if you know").select_option("rothschild_soros")
    form.get_by_role("button", name="Flag with tropewatch").click()

    expect(form.locator("#result-title")).to_have_text("Flagged: the moderators will see it")
    [request] = api.requests
    assert (request["path"], request["authorization"], request["content_type"]) == (
        "/api/v1/submissions", f"Bearer {TOKEN}", "application/json")
    body = request["json"]
    assert len(_jpeg(body.pop("screenshot"))) > 1000
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", body.pop("seen_at"))
    assert body == {
        "platform": "facebook",
        "url": "https://www.facebook.com/groups/4455667788/posts/8811223344556677/",
        "text": "The Rothschilds own the banks and the media, wake up.\n"
                "Share before they delete this 👇",
        "author_handle": "100089912345678",
        "author_name": "Dana Example",
        "platform_id": "8811223344556677",
        "note": "Third time this week in this group.",
        "category": "rothschild_soros",
    }
    expect(form.locator("#reporters")).to_have_text("1 supporter has flagged it (item 123).")
    expect(form.locator("#verdict")).to_have_text(
        "The detector finds it antisemitic (score 0.83).")
    expect(form.locator("#categories li")).to_have_text(
        ["Rothschild and Soros puppet-master myths"])  # the name, from categories.json
    expect(form.locator("#explainer-title")).to_have_text("Rothschild and Soros myths")
    expect(form.locator("#explainer-text")).to_have_text(
        "A Jewish family stands in for a secret power over the world.")
    expect(form.locator("#status-link")).to_have_attribute("href", api.url + "/submissions/123")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(condition, what: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_a_flag_the_server_cannot_take_waits_and_the_alarm_delivers_it(extension):
    context, worker = extension
    port = _free_port()  # nothing listens there yet
    configure(worker, f"http://127.0.0.1:{port}")
    open_fixture(context, "https://x.com/home")

    form = flag_from_menu(context, worker, "https://x.com/home")
    form.get_by_role("button", name="Flag with tropewatch").click()
    expect(form.locator("#state")).to_contain_text("Not sent yet: the server could not be reached")
    expect(form.locator("#queue")).to_have_text(
        "1 flag is waiting for the server; they are sent again by themselves.")
    [waiting] = worker.evaluate("tropewatch.queued()")
    assert waiting["body"]["url"] == "https://x.com/jordan_invented/status/1861234567890123456"
    assert worker.evaluate("chrome.alarms.get(tropewatch.RETRY_ALARM)")["name"] == \
        "tropewatch-retry"
    assert worker.evaluate("chrome.action.getBadgeText({})") == "1"

    server = ContractServer(port)
    try:
        # The alarm, due now: its listener sends what waits.
        worker.evaluate("chrome.alarms.create(tropewatch.RETRY_ALARM, {when: Date.now()})")
        _wait_for(lambda: server.requests, "the queued flag to arrive")
        _wait_for(lambda: not worker.evaluate("tropewatch.queued()"), "the queue to empty")
    finally:
        server.close()
    [request] = server.requests
    assert request["json"] == waiting["body"]
    assert request["authorization"] == f"Bearer {TOKEN}"
    [delivered] = worker.evaluate("tropewatch.delivered()")
    assert delivered["reply"]["item_id"] == 123
    assert worker.evaluate("chrome.action.getBadgeText({})") == ""
    assert worker.evaluate("chrome.alarms.get(tropewatch.RETRY_ALARM)") is None


def test_a_rate_limited_flag_waits_as_long_as_the_server_asks(extension, api):
    context, worker = extension
    configure(worker, api.url)
    api.reply = (429, {"detail": "at most 30 submissions a minute"}, {"Retry-After": "120"})
    open_fixture(context, "https://bsky.app/")

    form = flag_from_menu(context, worker, "https://bsky.app/")
    form.get_by_role("button", name="Flag with tropewatch").click()
    expect(form.locator("#state")).to_have_text(
        "Not sent yet: at most 30 submissions a minute. The flag is kept and sent again by "
        "itself.")
    [waiting] = worker.evaluate("tropewatch.queued()")
    wait_ms = worker.evaluate("(at) => at - Date.now()", waiting["nextAt"])
    assert 110_000 < wait_ms <= 120_000


def test_a_refused_token_is_said_and_nothing_waits(extension, api):
    context, worker = extension
    configure(worker, api.url, token="revoked")
    api.reply = (401, {"detail": "this API token was revoked"}, {})
    open_fixture(context, "https://mastodon.example/home")

    form = flag_from_menu(context, worker, "https://mastodon.example/home")
    form.get_by_role("button", name="Flag with tropewatch").click()
    expect(form.locator("#state")).to_have_text(
        "Not sent: The server refused the token: this API token was revoked")
    expect(form.locator("#flag")).to_be_visible()  # to try again once the token is replaced
    assert worker.evaluate("tropewatch.queued()") == []
    assert api.requests[0]["authorization"] == "Bearer revoked"


HOSTILE_NAME = "<b>Eve</b> <img src=x onerror=\"window.__xss='name'\">"
HOSTILE_TEXT = ("<img src=x onerror=\"window.__xss='text'\"><script>window.__xss='script'"
                "</script> Soros pays them all")


def test_hostile_text_from_the_page_and_the_server_is_shown_as_text(extension, api):
    context, worker = extension
    configure(worker, api.url)
    api.reply = (201, contract_reply(
        verdict={"antisemitic": True, "score": 0.7, "categories": ["<b>bold</b>"],
                 "explanation": "<img src=x onerror=\"window.__xss='explanation'\">"},
        explainer={"category": "x", "title": "<script>window.__xss='title'</script>",
                   "text": "<a href=\"javascript:window.__xss='link'\">read more</a>"},
        status_url="javascript:window.__xss='status'",
    ), {})
    page = open_fixture(context, FACEBOOK)

    form = flag_from_menu(context, worker, FACEBOOK, {
        "linkUrl": "https://www.facebook.com/groups/4455667788/posts/8811223344550002/"})
    expect(form.locator("#found")).to_have_text(
        f"Facebook post by {HOSTILE_NAME} (eve.hostile.test)")
    expect(form.get_by_label("Text")).to_have_value(HOSTILE_TEXT)
    form.get_by_role("button", name="Flag with tropewatch").click()

    expect(form.locator("#explanation")).to_have_text(
        "<img src=x onerror=\"window.__xss='explanation'\">")
    expect(form.locator("#categories li")).to_have_text(["<b>bold</b>"])
    expect(form.locator("#explainer-title")).to_have_text("<script>window.__xss='title'</script>")
    expect(form.locator("#explainer-text")).to_have_text(
        "<a href=\"javascript:window.__xss='link'\">read more</a>")
    expect(form.locator("#status-link")).to_be_hidden()
    # No element came from the page or the reply: one image (the screenshot), the form's own
    # two scripts, no bold, no link but the form's own two.
    assert form.locator("img").count() == 1
    assert form.locator("script").count() == 2
    assert form.locator("b").count() == 0
    assert form.locator("a").count() == 2
    assert form.evaluate("typeof window.__xss") == "undefined"
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert api.requests[0]["json"]["author_name"] == HOSTILE_NAME
    assert api.requests[0]["json"]["text"] == HOSTILE_TEXT


def test_the_options_page_keeps_an_https_origin_and_the_token(extension):
    context, worker = extension
    extension_id = worker.url.split("/")[2]
    page = context.new_page()
    page.goto(f"chrome-extension://{extension_id}/options.html")
    server = page.get_by_label("Your organisation's tropewatch address")
    token = page.get_by_label("Your API token")

    server.fill("http://tropewatch.example.org")
    token.fill("secret")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#saved")).to_have_text(
        "The address must start with https:// (http:// only for this machine).")
    assert worker.evaluate("tropewatch.readSettings()") is None

    server.fill("https://tropewatch.example.org/o/campaign/")
    token.fill("  secret  ")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#saved")).to_have_text("Saved: flags go to https://tropewatch.example.org.")
    assert worker.evaluate("tropewatch.readSettings()") == {
        "server": "https://tropewatch.example.org", "token": "secret"}
    expect(token).to_have_value("")  # not left on screen
