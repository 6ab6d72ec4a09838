"""Erasure and retention on the console's privacy page: the command line's service, behind a
typed confirmation, logged without the erased author's name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tropewatch.accounts.models import AdminEvent
from tropewatch.evidence.verify import Intact, verify_chain
from tropewatch.posts.models import Author, Post
from tropewatch.review.decisions import Decision, record
from tropewatch.review.models import ReviewState
from tropewatch.review.status import Action


@pytest.fixture
def leaving(org, members, make_post):
    author = Author.objects.create(org=org, platform="x", platform_id="111",
                                   handle="@leaving_user")
    post = make_post("Words only this author wrote", author=author)
    record(org, post.pk, members["lead"], "lead", Decision(Action.CONFIRM))
    return author


def test_finding_an_author_asks_for_the_handle_and_erases_nothing(client_as, leaving):
    page = client_as("admin").post("/o/campaign/privacy/erase/", {
        "platform": "x", "author": "leaving_user"}).content.decode()

    assert "data-erase-confirm" in page
    assert "Type <code>leaving_user</code> to erase" in page and "1 post " in page
    assert Author.objects.filter(pk=leaving.pk).exists()


def test_the_wrong_handle_erases_nothing(client_as, leaving):
    page = client_as("admin").post("/o/campaign/privacy/erase/", {
        "platform": "x", "author": "leaving_user", "confirm": "staying"}).content.decode()

    assert "That is not &#x27;leaving_user&#x27;: nothing was erased." in page
    assert Author.objects.filter(pk=leaving.pk).exists()
    assert not AdminEvent.objects.exists()


def test_typing_the_handle_erases_with_the_command_lines_service(client_as, org, leaving):
    client = client_as("admin")

    response = client.post("/o/campaign/privacy/erase/", {
        "platform": "x", "author": "@leaving_user", "confirm": "LEAVING_USER"})

    assert response["Location"] == "/o/campaign/privacy/"
    assert not Author.objects.filter(pk=leaving.pk).exists()
    assert not Post.objects.filter(text__contains="only this author").exists()
    assert isinstance(verify_chain(org), Intact)
    page = client.get("/o/campaign/privacy/").content.decode()
    assert "Erased the author: 1 posts," in page
    event = AdminEvent.objects.get()
    assert (event.action, event.subject, event.detail) == (
        "author_erased", "", "x: 1 posts, 0 cases")
    assert "leaving" not in str(event)


def test_an_unknown_author_is_named_beside_the_field(client_as, org):
    page = client_as("admin").post("/o/campaign/privacy/erase/", {
        "platform": "x", "author": "nobody"}).content.decode()

    assert "no x author &#x27;nobody&#x27; in &#x27;campaign&#x27;" in page


def _dismissed_long_ago(org, members, make_post, count: int) -> None:
    for n in range(count):
        post = make_post(f"old news {n}")
        record(org, post.pk, members["lead"], "lead", Decision(Action.DISMISS, reason="news"))
    ReviewState.objects.update(updated_at=timezone.now() - timedelta(days=40))


def test_retention_erases_what_is_due_once_the_count_is_typed(client_as, org, members,
                                                              make_post):
    org.retain_dismissed_days = 30
    org.save()
    _dismissed_long_ago(org, members, make_post, 3)
    client = client_as("admin")
    assert "data-purge-due>3<" in client.get("/o/campaign/privacy/").content.decode()

    wrong = client.post("/o/campaign/privacy/purge/", {"confirm": "2"}).content.decode()
    assert "3 posts are due now, not 2: nothing was erased." in wrong
    assert Post.objects.count() == 3

    client.post("/o/campaign/privacy/purge/", {"confirm": "3"})
    assert Post.objects.count() == 0
    assert AdminEvent.objects.get().detail == "3 posts dismissed over 30 days ago"


def test_without_a_policy_nothing_is_erased(client_as, org, members, make_post):
    _dismissed_long_ago(org, members, make_post, 2)

    page = client_as("admin").post("/o/campaign/privacy/purge/", {"confirm": "0"})

    assert "No dismissed posts are past the retention period" in page.content.decode()
    assert Post.objects.count() == 2
