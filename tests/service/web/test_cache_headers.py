"""Console pages show authors' names and what they wrote: no browser or proxy may keep a
copy (a shared computer's back button, a corporate cache). Every response to a signed-in
user says ``Cache-Control: no-store``."""

from __future__ import annotations

import pytest

from tropewatch.review.decisions import Decision, record
from tropewatch.review.status import Action


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


@pytest.mark.parametrize("page", [
    "/o/campaign/queue/",
    "/o/campaign/posts/{post}/",
    "/o/campaign/posts/{post}/images/",
    "/o/campaign/audit/",
    "/o/campaign/audit.csv",
    "/o/campaign/invitations/",
    "/o/campaign/submit/?text=shared+from+a+phone",  # the share target's landing
    "/share/?text=shared+from+a+phone",
    "/",
])
def test_console_pages_are_never_stored(page, client_as, org, members, make_post):
    post = make_post("a post by a named author")
    record(org, post.pk, members["moderator"], "moderator", Decision(Action.ESCALATE))

    response = client_as("admin").get(page.format(post=post.pk))

    assert response.status_code in (200, 302)
    assert "no-store" in _directives(response)


def test_the_queue_rows_fragment_is_never_stored(client_as, make_post):
    make_post()

    response = client_as("viewer").get("/o/campaign/queue/", headers={"HX-Request": "true"})

    assert "no-store" in _directives(response)


def test_refusals_and_redirects_to_a_signed_in_user_are_never_stored(client_as, make_post):
    post = make_post()
    client = client_as("moderator")

    missing = client.get("/o/campaign/posts/999999/")
    refused = client.get("/o/campaign/audit/")  # leads and admins only
    moved_on = client.post(f"/o/campaign/posts/{post.pk}/skip/")

    assert (missing.status_code, refused.status_code, moved_on.status_code) == (404, 403, 302)
    for response in (missing, refused, moved_on):
        assert "no-store" in _directives(response)
