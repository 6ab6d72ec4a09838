"""POST /api/v1/submissions as the contract says (docs/api.md)."""

from __future__ import annotations

import base64

import pytest

from service.submissions.flags import image_bytes
from tropewatch.posts.models import Post
from tropewatch.submissions.models import Screenshot, Submission

from .conftest import submission


def test_a_flag_becomes_an_item_with_its_verdict_and_explainer(org, api_as):
    response = api_as("reporter").post("/submissions", submission())

    assert response.status_code == 201, response.content
    body = response.json()
    post = Post.objects.get()
    assert body["item_id"] == post.pk and body["merged"] is False and body["reporters"] == 1
    assert body["verdict"]["antisemitic"] is True and 0 < body["verdict"]["score"] <= 1
    assert body["verdict"]["categories"]
    assert body["explainer"]["category"] == body["verdict"]["categories"][0]
    assert body["explainer"]["title"] and body["explainer"]["text"]
    assert body["status_url"] == f"http://testserver/o/{org.slug}/submissions/{post.pk}/"


def test_a_second_supporter_raises_the_reporter_count_instead_of_a_duplicate(org, api_as):
    first = api_as("reporter").post("/submissions", submission()).json()

    response = api_as("viewer").post("/submissions", submission(
        url="https://www.facebook.com/groups/7/posts/8?fbclid=Iw4R&utm_source=share#x",
        text="The Rothschilds control",
    ))

    assert response.status_code == 200
    assert response.json()["item_id"] == first["item_id"]
    assert response.json()["merged"] is True and response.json()["reporters"] == 2
    assert Post.objects.count() == 1 and Submission.objects.count() == 2


def test_a_harmless_looking_flag_has_no_explainer_unless_the_supporter_guessed(api_as):
    plain = api_as("reporter").post("/submissions", submission(
        text="Nice weather today.", url="https://example.org/a")).json()
    guessed = api_as("reporter").post("/submissions", submission(
        text="Nice weather today.", url="https://example.org/b",
        category="rothschild_soros")).json()

    assert plain["verdict"]["antisemitic"] is False and plain["explainer"] is None
    assert guessed["explainer"]["category"] == "rothschild_soros"


def test_a_screenshot_is_stored_reencoded(api_as):
    shot = base64.b64encode(image_bytes(kind="JPEG")).decode()

    response = api_as("reporter").post("/submissions", submission(screenshot=shot))

    assert response.status_code == 201
    assert Screenshot.objects.get().content_type == "image/jpeg"


@pytest.mark.parametrize("fields, named", [
    ({"url": "javascript:alert(1)"}, "url"),
    ({"platform": "myspace"}, "platform"),
    ({"text": "x" * 20001}, "text"),
    ({"note": "x" * 2001}, "note"),
    ({"seen_at": "yesterday"}, "seen_at"),
    ({"category": "no_such_trope"}, "category"),
    ({"screenshot": base64.b64encode(b"<svg/>").decode()}, "screenshot"),
])
def test_a_bad_field_is_refused_by_name_and_nothing_is_stored(api_as, fields, named):
    response = api_as("reporter").post("/submissions", submission(**fields))

    assert response.status_code == 422
    assert isinstance(response.json()["detail"], str) and named in response.json()["detail"]
    assert not Post.objects.exists()


def test_a_missing_field_is_named(api_as):
    body = submission()
    del body["seen_at"]

    response = api_as("reporter").post("/submissions", body)

    assert response.status_code == 422 and "seen_at" in response.json()["detail"]
