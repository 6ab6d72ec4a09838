"""The console's "Submit a link" form: stored as the API stores a flag, answered with the
verdict and the trope's explainer, field errors named, and the address never fetched."""

from __future__ import annotations

import socket

from django.core.files.uploadedfile import SimpleUploadedFile

from tropewatch.posts.models import Post
from tropewatch.submissions.models import Screenshot, Submission
from tropewatch.submissions.screenshots import MAX_BYTES

from .flags import flag, image_bytes

RUMOUR = "The Rothschilds secretly control every central bank."


def _send(client, org, **fields):
    data = {"platform": "facebook", "url": "https://www.facebook.com/groups/1/posts/2/",
            "text": RUMOUR, "note": "", "category": "", **fields}
    return client.post(f"/o/{org.slug}/submit/", data)


def test_a_reporter_flags_a_link_and_sees_the_verdict_and_explainer(org, members, client_as):
    client = client_as("reporter")

    response = _send(client, org, author_handle="@banker_truth", note="in our group",
                     category="rothschild_soros",
                     screenshot=SimpleUploadedFile("shot.png", image_bytes(), "image/png"))

    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/o/{org.slug}/submit/sent/{submission.pk}/"
    assert submission.reporter == members["reporter"] and submission.note == "in our group"
    assert submission.post.url == "https://www.facebook.com/groups/1/posts/2"
    assert submission.post.author.handle == "banker_truth"
    assert Screenshot.objects.get().data[:4] == b"\x89PNG"
    page = client.get(response["Location"]).content.decode()
    assert "The detector flags this post as antisemitic" in page
    assert f"/o/{org.slug}/learn/rothschild_soros/" in page
    assert "other supporter" not in page


def test_the_result_says_others_flagged_it_too(org, members, client_as):
    for role in ("viewer", "triage"):
        _send(client_as(role), org, platform="x", url="https://x.com/someone/status/42")
    client = client_as("reporter")

    response = _send(client, org, platform="x", url="https://x.com/someone/status/42?s=20",
                     text="")

    assert Post.objects.count() == 1 and Submission.objects.count() == 3
    assert "2 other supporters flagged this too." in client.get(
        response["Location"]).content.decode()


def test_bad_fields_are_named_and_nothing_is_stored(org, members, client_as):
    response = _send(client_as("reporter"), org, platform="myspace", url="ftp://example.org/x",
                     category="not_a_trope",
                     screenshot=SimpleUploadedFile("shot.png", b"GIF89a not a png", "image/png"))

    errors = response.context["form"].errors
    assert response.status_code == 200 and Submission.objects.count() == 0
    assert set(errors) == {"platform", "url", "category", "screenshot"}
    assert "url must be an http or https address with a host." in errors["url"]
    assert "The screenshot is not a PNG or JPEG image." in errors["screenshot"]
    assert "Please correct the fields marked below." in response.content.decode()


def test_a_missing_link_is_named(org, members, client_as):
    response = _send(client_as("reporter"), org, url="")

    assert response.context["form"].errors["url"] == ["This field is required."]


def test_a_screenshot_over_the_size_limit_is_refused(org, members, client_as):
    huge = SimpleUploadedFile("shot.png", b"\x89PNG" + b"\0" * MAX_BYTES, "image/png")

    response = _send(client_as("reporter"), org, screenshot=huge)

    assert response.context["form"].errors["screenshot"] == [
        "The screenshot is larger than 5 MB."]
    assert Submission.objects.count() == 0


def test_the_server_never_fetches_the_link(org, members, client_as, monkeypatch):
    client = client_as("reporter")  # logged in before the network is shut

    def refuse(*args, **kwargs):
        raise AssertionError("a submission opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)

    response = _send(client, org, platform="other",
                     url="http://169.254.169.254/latest/meta-data")

    assert response.status_code == 302
    assert Post.objects.get().url == "http://169.254.169.254/latest/meta-data"


def test_only_the_supporter_who_sent_it_sees_the_result(org, members, make_post, client_as):
    theirs = flag(org, make_post(), members["viewer"])

    response = client_as("reporter").get(f"/o/{org.slug}/submit/sent/{theirs.pk}/")

    assert response.status_code == 404
