"""Real Chromium (Debian's /usr/bin/chromium, driven by Playwright) against Django's live
server. Each page records what the browser ran into: console messages, uncaught errors,
Content-Security-Policy violations, dialogs and every request it made.

What counts as a request: every one Chromium reports starting (Playwright's "request" event)
in the page's browser context, so popups and new tabs count too: page loads, images, styles,
scripts, fetches and htmx calls, including those that then fail. A request is *foreign* when
its address is not on the live server's origin (scheme, host and port): another host, another
port of this one, or another scheme (data:, blob:) should one ever be requested. Not counted,
because Chromium never starts them: what the Content-Security-Policy blocks (recorded apart,
as violations) and DNS prefetching, which no page of the console asks for.

No browser test reaches the internet, even where there is one: every foreign request is
answered here with a 1x1 PNG (after being recorded), which also lets a platform image that a
moderator asked to see load without an error.
"""

from __future__ import annotations

import base64
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
_STAND_IN_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)

# Runs in every page before its own scripts: CSP violations are recorded where tests see them.
_WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@dataclass
class Observed:
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    subresources: list[str] = field(default_factory=list)  # all but page navigations


@pytest.fixture(scope="package", autouse=True)
def django_orm_beside_playwright() -> Iterator[None]:
    """Playwright's synchronous API keeps an asyncio loop in the main thread, where Django then
    refuses ORM calls (live_server's set-up, the database flush after each test, the tests' own
    queries). Those calls are plain synchronous ones between page actions, so Django's
    async-safety guard is turned off while the browser tests run, and on again after them:
    the other suites run with it (tests/service/web/test_async_guard.py checks)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


# Package-scoped, and after the guard is off: Chromium and Playwright's loop are gone before
# the guard comes back on.
@pytest.fixture(scope="package")
def browser(django_orm_beside_playwright) -> Iterator[object]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install -y chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STATIC_ROOT = tmp_path


@pytest.fixture
def open_page(browser, live_server) -> Iterator[Callable[..., tuple[object, Observed]]]:
    contexts = []
    site = live_server.url + "/"

    def open_(viewport: dict[str, int] = DESKTOP) -> tuple[object, Observed]:
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        context.add_init_script(_WATCH_VIOLATIONS)
        seen = Observed()
        context.on("request", lambda request: _record(seen, request))
        # A pattern, not a Python function: Chromium then holds back only foreign requests.
        context.route(re.compile("^(?!" + re.escape(site) + ")"), _answer_foreign)
        page = context.new_page()
        page.on("console", lambda message: seen.console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: seen.errors.append(str(error)))

        def on_dialog(dialog) -> None:
            seen.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.set_default_timeout(15_000)
        return page, seen

    yield open_
    for context in contexts:
        context.close()


def _answer_foreign(route) -> None:
    route.fulfill(status=200, content_type="image/png", body=_STAND_IN_PNG)


def _record(seen: Observed, request) -> None:
    seen.requests.append(request.url)
    if request.resource_type != "document":
        seen.subresources.append(request.url)


# Committed rows, for the live server's own connections; ``source`` (tests/service/conftest.py)
# builds on this ``org``.
@pytest.fixture
def org(transactional_db):
    from tropewatch.orgs.models import Organisation

    return Organisation.objects.create(name="Campaign group", slug="campaign")


@pytest.fixture
def member(org) -> Callable[[str], object]:
    """A user named after ``role`` (password "pw-" + role), with a TOTP device if the role
    needs one."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tropewatch.accounts.models import Membership
    from tropewatch.accounts.roles import needs_two_factor

    def make(role: str):
        user = get_user_model().objects.create_user(role, password=f"pw-{role}")
        Membership.objects.create(user=user, org=org, role=role)
        if needs_two_factor(role):
            TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        return user

    return make


def totp_code(user) -> str:
    """What the user's authenticator app shows now."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def log_in(page, base_url: str, user, with_code: bool) -> None:
    page.goto(base_url + "/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(f"pw-{user.username}")
    if with_code:
        page.get_by_label("Code from your authenticator app").fill(totp_code(user))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/o/campaign/queue/")


@pytest.fixture
def flagged_post(org, source) -> Callable[..., object]:
    """A post with a current detection that flags it."""
    from tropewatch.ingest.records import content_sha256
    from tropewatch.posts.models import Detection, Post
    from tropewatch.posts.scanning import current_model_version
    from tropewatch.review.priority import refresh_posts

    def make(text: str, score: float, number: int):
        post = Post.objects.create(
            org=org, source=source, platform="x", platform_id=f"b{number}", text=text,
            created_at=datetime.now(UTC) - timedelta(hours=1), content_sha256=content_sha256(text),
        )
        Detection.objects.create(
            org=org, post=post, antisemitic=True, score=score,
            categories=[{"id": "rothschild_soros", "name": "Rothschild and Soros myths",
                         "score": score, "ihra_example": 2}],
            spans=[], model_version=current_model_version(org), policy=org.policy,
            content_sha256=post.content_sha256,
        )
        refresh_posts([post])  # as scanning does: the queue's stored priority
        return post

    return make


def foreign_requests(seen: Observed, base_url: str) -> list[str]:
    """Requests to anywhere but the live server's origin ``base_url`` (see the top of this
    module), in the order the browser started them."""
    return [url for url in seen.requests if not url.startswith(base_url + "/")]
