"""The browser extension (extension/) in real Firefox: Debian's Firefox ESR, driven over WebDriver
BiDi (firefox.py). Firefox validates the manifest when it installs the extension, then the
extractors read the same saved platform pages as in Chromium, at their real addresses, and must
give what test_extension.py expects there (its cases, imported, not copied).

The path is the real one from the background script on: the test asks the event page's
``prepareDraft(tab, hints)``, which injects the extractors with chrome.scripting into the tab
(Firefox's content-script sandbox, as for a supporter) and screenshots it with
captureVisibleTab. BiDi cannot navigate a tab to a moz-extension: page, nor reach the event page,
so the extension copy under test opens its own options page when it starts, and the test calls
the event page from there (runtime.getBackgroundPage). As in Chromium, the copy also asks for
<all_urls>, standing in for the activeTab grant a real click gives.

One flag also goes all the way: the form window flagFromMenu opens, its message to the event
page, and the event page's fetch to a server that answers as the API contract says.

Not exercised here: the queue, retries and the error replies (test_extension.py covers them in
Chromium), and menus.getTargetElement, the Firefox-only way to the post under the click, since
BiDi cannot open the context menu.
"""

from __future__ import annotations

import base64
import json
import shutil
import time
from collections.abc import Iterator

import pytest

from .firefox import BiDiError, Firefox, firefox
from .test_extension import (  # noqa: F401 (api, extension_copy: fixtures)
    EXTENSION,
    EXTRACTED,
    FIXTURES,
    NEWS_PAGE,
    PAGES,
    TIME_ZONE,
    TOKEN,
    api,
    extension_copy,
)

pytestmark = pytest.mark.firefox

EXTENSION_ID = "flag@tropewatch.org"  # browser_specific_settings.gecko.id
# The copy's one addition: its options page opens when it starts, as the tab the test works from.
OPEN_OPTIONS = "chrome.runtime.openOptionsPage();\n"

# Selects the words as Playwright's select_text does in Chromium's tests: the whole of the
# innermost element that contains them.
SELECT = """(words) => {
  const holds = (element) => element.textContent.includes(words);
  const element = [...document.body.querySelectorAll("*")]
    .find((candidate) => holds(candidate) && ![...candidate.children].some(holds));
  const range = document.createRange();
  range.selectNodeContents(element);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
}"""

# Runs in the options page: the event page's function ``name`` with ``args``, where an argument
# {tabShowing: url} stands for the tab showing that address.
IN_BACKGROUND = """async (name, ...args) => {
  const resolved = await Promise.all(args.map(async (arg) => arg && arg.tabShowing
    ? (await chrome.tabs.query({url: arg.tabShowing}))[0] : arg));
  const background = await chrome.runtime.getBackgroundPage();
  return background.tropewatch[name](...resolved);
}"""


def test_firefox_installs_the_extension_as_shipped(tmp_path):
    with firefox(tmp_path / "profile") as browser:
        assert browser.install(EXTENSION) == EXTENSION_ID


def test_firefox_refuses_the_manifest_without_its_background_scripts(tmp_path):
    """Why manifest.json lists background.scripts beside Chromium's service_worker."""
    chromium_only = tmp_path / "extension"
    shutil.copytree(EXTENSION, chromium_only)
    manifest = json.loads((chromium_only / "manifest.json").read_text())
    del manifest["background"]["scripts"]
    (chromium_only / "manifest.json").write_text(json.dumps(manifest))
    with firefox(tmp_path / "profile") as browser:
        with pytest.raises(BiDiError, match="background.service_worker is currently disabled"):
            browser.install(chromium_only)


@pytest.fixture(scope="module")
def gecko(extension_copy, tmp_path_factory) -> Iterator[tuple[Firefox, str]]:  # noqa: F811
    """Firefox with the extension copy installed: (the browser, its options tab)."""
    (extension_copy / "open-options.js").write_text(OPEN_OPTIONS)
    manifest = json.loads((extension_copy / "manifest.json").read_text())
    manifest["background"]["scripts"].append("open-options.js")
    (extension_copy / "manifest.json").write_text(json.dumps(manifest))
    with firefox(tmp_path_factory.mktemp("profile"), TIME_ZONE) as browser:
        browser.pages = {url: (PAGES / name).read_text(encoding="utf-8") if name else NEWS_PAGE
                         for url, name in FIXTURES.items()}
        assert browser.install(extension_copy) == EXTENSION_ID
        yield browser, _extension_tab(browser, "/options.html")


def _extension_tab(browser: Firefox, page: str, seconds: float = 15) -> str:
    """The tab or window showing the extension's ``page``, once it has opened."""
    deadline = time.monotonic() + seconds
    while True:
        for tab in browser.tabs():
            if tab["url"].startswith("moz-extension:") and tab["url"].endswith(page):
                return tab["context"]
        assert time.monotonic() < deadline, f"the extension's {page} never opened"
        time.sleep(0.2)


@pytest.fixture
def page_tabs(gecko) -> Iterator[list[str]]:
    """Tabs a test opens, closed after it."""
    tabs: list[str] = []
    yield tabs
    for tab in tabs:
        gecko[0].close(tab)


@pytest.mark.parametrize(("url", "hints", "select", "expected"), EXTRACTED)
def test_the_extractor_reads_the_post_meant_in_firefox(gecko, page_tabs, url, hints, select,
                                                        expected):
    browser, options = gecko
    tab = browser.open(url)
    page_tabs.append(tab)
    if select:
        browser.call(tab, SELECT, select)
    draft = browser.call(options, IN_BACKGROUND, "prepareDraft", {"tabShowing": url}, hints)
    read = {key: draft[key] for key in draft if key not in ("seen_at", "screenshot")}
    assert read == expected
    screenshot = base64.b64decode(draft["screenshot"])
    assert screenshot[:3] == b"\xff\xd8\xff"  # a JPEG of the visible tab


def _wait_for(browser: Firefox, tab: str, condition: str, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not browser.call(tab, f"() => Boolean({condition})"):
        assert time.monotonic() < deadline, f"timed out waiting for {condition}"
        time.sleep(0.2)


def test_a_flag_from_the_menu_reaches_the_server_from_firefox(gecko, page_tabs, api):  # noqa: F811
    """The form window, the fetch from Firefox's event page, and the reply shown."""
    browser, options = gecko
    browser.call(options, IN_BACKGROUND, "writeSettings", api.url, TOKEN)
    url = "https://x.com/home"
    page_tabs.append(browser.open(url))
    draft_id = browser.call(options, IN_BACKGROUND, "flagFromMenu", {"pageUrl": url},
                            {"tabShowing": url})
    form = _extension_tab(browser, f"/popup.html#{draft_id}")
    page_tabs.append(form)
    _wait_for(browser, form, '!document.getElementById("flag").hidden')
    browser.call(form, """() => {
      document.getElementById("note").value = "Seen in a friend's timeline.";
      document.getElementById("send").click();
    }""")
    _wait_for(browser, form, '!document.getElementById("result").hidden')

    assert browser.call(form, '() => document.getElementById("result-title").textContent') == \
        "Flagged: the moderators will see it"
    [request] = api.requests
    assert (request["path"], request["authorization"]) == ("/api/v1/submissions",
                                                           f"Bearer {TOKEN}")
    body = request["json"]
    assert (body["url"], body["note"]) == (
        "https://x.com/jordan_invented/status/1861234567890123456", "Seen in a friend's timeline.")
    assert base64.b64decode(body["screenshot"])[:3] == b"\xff\xd8\xff"
