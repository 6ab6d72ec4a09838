"""Request size limits, rate limits and CORS on the API, each with a plain JSON answer."""

from __future__ import annotations

import base64

from service.submissions.flags import image_bytes
from tropewatch.posts.models import Post
from tropewatch.submissions.screenshots import MAX_BYTES

from .conftest import submission


def test_an_oversized_body_gets_413_with_a_clear_body(api_as, settings):
    settings.API_MAX_BODY_BYTES = 1024 * 1024

    response = api_as("reporter").post("/submissions", b"{" + b" " * (1024 * 1024) + b"}")

    assert response.status_code == 413
    assert response.json() == {"detail": "request body is larger than 1 MB"}


def test_a_screenshot_over_5_mb_gets_413(api_as):
    # Random-looking bytes do not compress: a valid base64 string just past the limit.
    big = base64.b64encode(bytes(range(256)) * (MAX_BYTES // 256 + 1)).decode()

    response = api_as("reporter").post("/submissions", submission(screenshot=big))

    assert response.status_code == 413
    assert "screenshot is larger than 5 MB" in response.json()["detail"]
    assert not Post.objects.exists()


def test_a_screenshot_under_the_limit_fits_the_body_limit(api_as):
    shot = base64.b64encode(image_bytes(800, 600)).decode()

    assert api_as("reporter").post("/submissions", submission(screenshot=shot)).status_code == 201


def test_flagging_too_fast_gets_429_with_retry_after(api_as, settings):
    settings.API_SUBMIT_RATE = "2/m"
    api = api_as("reporter")

    codes = [api.post("/submissions", submission(url=f"https://example.org/{n}")).status_code
             for n in range(3)]

    assert codes == [201, 201, 429]
    limited = api.post("/submissions", submission(url="https://example.org/x"))
    assert limited.status_code == 429 and 0 < int(limited["Retry-After"]) <= 60
    assert "too many requests" in limited.json()["detail"]
    assert Post.objects.count() == 2


def test_each_token_has_its_own_limit(api_as, settings):
    settings.API_READ_RATE = "1/m"
    first, second = api_as("viewer"), api_as("admin")

    assert [first.get("/items").status_code, first.get("/items").status_code] == [200, 429]
    assert second.get("/items").status_code == 200


def test_an_extension_origin_may_call_without_credentials(client):
    origin = "chrome-extension://" + "a" * 32

    preflight = client.options("/api/v1/submissions", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})

    assert preflight["Access-Control-Allow-Origin"] == origin
    assert "authorization" in preflight["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in preflight


def test_web_pages_and_the_console_get_no_cors(client):
    hostile = client.options("/api/v1/submissions", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    console = client.get("/login/", headers={"Origin": "chrome-extension://" + "a" * 32})

    assert "Access-Control-Allow-Origin" not in hostile
    assert "Access-Control-Allow-Origin" not in console
