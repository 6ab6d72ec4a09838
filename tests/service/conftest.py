"""The one Django conftest: every test under tests/service runs inside the Django project
(the apps under tropewatch/ that make the service: accounts, imports, orgs, posts, review,
web), on a real SQLite file, or on the database DATABASE_URL names to run the same tests on
PostgreSQL. Here: an organisation with one member per role, clients logged in as each (the
second factor verified where the role needs it), and flagged posts made directly with the
detection values a test needs. The detector's and the ingest readers' tests never load Django."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import django
import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tropewatch.web.settings")
# The embedded default: tasks run in-process. tests/integration covers Redis and workers.
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
# pytest-django sets Django up before collection only when the settings are named in the
# pytest configuration; named here instead, the test modules' model imports need this.
django.setup()

from django.test import Client  # noqa: E402

from tropewatch.accounts.roles import Role  # noqa: E402

ROLES = [role.value for role in Role]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """Put the SQLite test database in a file, not in memory, so that WAL mode and the
    transaction settings under test are the ones a deployment gets."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(
            tmp_path_factory.mktemp("database") / "test.sqlite3"
        )


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path):
    # Fast hashing for the users tests make; checking the default kind still works.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        # what `tropewatch demo` writes in its own process, under the real settings
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]
    settings.STATIC_ROOT = tmp_path  # as after collectstatic, which a deployment runs
    # Each test starts with an empty cache, as a fresh process would: what one test leaves
    # there (a throttle, a queue's length) must not decide another's outcome.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def restores_schema():
    """For a test that migrates an app back: afterwards every app's migrations are applied
    again, passed or failed. Migrating one app back also unapplies the migrations of other
    apps that depend on it, and migrating that app forward leaves those unapplied: the
    transactional tests after it then met a table without their columns ("table
    posts_detection has no column named priority" after the screenshot hashes' test)."""
    yield
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


@pytest.fixture
def admin_client(admin_user):
    """A superuser whose second factor is verified: the admin asks for one."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=admin_user, name="app", confirmed=True)
    return verified_client(admin_user)


@pytest.fixture
def org(db):
    """The organisation most tests work in (tests/service/browser overrides it with rows
    committed for the live server)."""
    from tropewatch.orgs.models import Organisation

    return Organisation.objects.create(name="Campaign group", slug="campaign")


@pytest.fixture
def source(org):
    from tropewatch.posts.models import Source

    return Source.objects.create(org=org, platform="x", kind="hashtag", name="#topic")


@pytest.fixture
def other_org(db):
    from tropewatch.orgs.models import Organisation

    return Organisation.objects.create(name="Other group", slug="other")


@pytest.fixture
def members(org) -> dict[str, object]:
    """One user per role in ``org``, named after the role (password: "pw-" + role); roles that
    see personal data have a confirmed TOTP device."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tropewatch.accounts.models import Membership
    from tropewatch.accounts.roles import needs_two_factor

    users = {}
    for role in ROLES:
        user = get_user_model().objects.create_user(role, password=f"pw-{role}")
        Membership.objects.create(user=user, org=org, role=role)
        if needs_two_factor(role):
            TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        users[role] = user
    return users


def verified_client(user) -> Client:
    """A client logged in as ``user``, its second factor verified if it has a device."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_as(members) -> Callable[[str], Client]:
    return lambda role: verified_client(members[role])


@pytest.fixture
def make_post(org, source) -> Callable[..., object]:
    """A post with a current detection: flagged with ``score`` unless ``flagged=False``."""
    from tropewatch.ingest.records import content_sha256
    from tropewatch.posts.models import Detection, Post
    from tropewatch.posts.scanning import current_model_version
    from tropewatch.review.priority import refresh_posts

    counter = iter(range(1, 1_000_000))

    def make(
        text: str = "The Rothschilds control the banks.",
        *,
        score: float = 0.9,
        flagged: bool = True,
        reach: dict | None = None,
        age: timedelta = timedelta(hours=1),
        categories: list[str] | None = None,
        spans: list[dict] | None = None,
        author=None,
        parent=None,
        url: str = "",
        raw: dict | None = None,
        platform: str = "x",
        post_source=None,
    ) -> Post:
        number = next(counter)
        post = Post.objects.create(
            org=org, source=post_source or source, author=author, platform=platform,
            platform_id=f"p{number}", text=text,
            created_at=datetime.now(UTC) - age, url=url, parent=parent, reach=reach or {},
            raw=raw or {}, content_sha256=content_sha256(text),
        )
        category_ids = categories if categories is not None else ["rothschild_soros"]
        Detection.objects.create(
            org=org, post=post, antisemitic=flagged, score=score,
            categories=[{"id": c, "name": c.replace("_", " "), "score": score,
                         "ihra_example": None} for c in category_ids],
            spans=spans or [], model_version=current_model_version(org), policy=org.policy,
            content_sha256=post.content_sha256,
        )
        refresh_posts([post])  # as scanning does: the queue's stored priority
        return post

    return make
