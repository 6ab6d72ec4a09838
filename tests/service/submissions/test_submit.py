"""A supporter's flag goes where an imported post goes: stored, scanned, into the queue."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest

from tropewatch.posts.models import Detection, Post
from tropewatch.review.queue import QueueFilters, queue, with_details
from tropewatch.submissions.models import Screenshot, Submission
from tropewatch.submissions.permalinks import NotAPermalink
from tropewatch.submissions.screenshots import reencode
from tropewatch.submissions.services import Flag, submit

from .flags import flag, image_bytes

SEEN = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
HARMLESS = "Lovely challah at the bakery this morning."


def a_flag(**fields) -> Flag:
    values = {"platform": "facebook", "url": "https://www.facebook.com/groups/1/posts/2/",
              "seen_at": SEEN, "text": HARMLESS}
    return Flag(**{**values, **fields})


@pytest.fixture
def supporters(django_user_model):
    return [django_user_model.objects.create_user(f"supporter{n}") for n in range(3)]


def test_a_new_post_is_stored_and_scanned_like_an_import(org, supporters):
    flagged = submit(org, supporters[0], a_flag(author_handle="@Someone", author_name="S"))

    assert not flagged.merged and flagged.reporters == 1
    post = Post.objects.get(pk=flagged.post.pk)
    assert post.url == "https://www.facebook.com/groups/1/posts/2"
    assert post.text == HARMLESS and post.author.handle == "Someone"
    assert Detection.objects.filter(post=post, policy=org.policy).count() == 1
    assert flagged.detection is not None and flagged.detection.post_id == post.pk


def test_a_second_supporter_raises_the_count_instead_of_making_a_duplicate(org, supporters):
    first = submit(org, supporters[0], a_flag())
    # The same post through a share link with tracking parameters and a fragment.
    second = submit(org, supporters[1], a_flag(
        url="https://WWW.facebook.com/groups/1/posts/2?fbclid=xyz&utm_medium=share#c",
        text="Lovely challah",  # only the selected text
    ))

    assert second.merged and second.post.pk == first.post.pk
    assert second.reporters == 2
    assert Post.objects.count() == 1 and Submission.objects.count() == 2
    assert Post.objects.get().text == HARMLESS  # a later flag does not rewrite the post


def test_the_same_supporter_twice_counts_once(org, supporters):
    submit(org, supporters[0], a_flag())

    assert submit(org, supporters[0], a_flag(note="again")).reporters == 1


def test_flags_meet_on_the_platform_id_whatever_the_address(org, supporters):
    first = submit(org, supporters[0], a_flag(platform_id="fb-2"))
    second = submit(org, supporters[1], a_flag(platform_id="fb-2",
                                               url="https://m.facebook.com/story.php?id=2"))
    # No id this time: the address of the first flag finds it.
    third = submit(org, supporters[2], a_flag(url="https://www.facebook.com/groups/1/posts/2"))

    assert first.post.pk == second.post.pk == third.post.pk
    assert third.reporters == 3


def test_a_flag_of_an_imported_post_joins_it(org, supporters, make_post):
    imported = make_post(platform="x")
    imported_id = imported.platform_id

    flagged = submit(org, supporters[0], a_flag(platform="x", platform_id=imported_id,
                                                url="https://x.com/a/status/1"))

    assert flagged.merged and flagged.post.pk == imported.pk
    assert Post.objects.count() == 1


def test_a_post_the_detector_scores_low_still_reaches_the_queue_marked(org, supporters,
                                                                       make_post, members):
    imported = make_post(score=0.9)
    flagged = submit(org, supporters[0], a_flag())
    assert flagged.detection.antisemitic is False

    items = with_details(list(queue(org, members["admin"], QueueFilters(status="all"))
                              .values_list("pk", flat=True)))

    assert {item.post_id: item.reporters for item in items} == {
        imported.pk: 0, flagged.post.pk: 1
    }


def test_reporters_raise_the_priority(org, supporters, make_post, members):
    once = make_post(score=0.6)
    thrice = make_post(score=0.6)
    flag(org, once, supporters[0])
    for supporter in supporters:
        flag(org, thrice, supporter)

    ranked = list(queue(org, members["admin"]).values_list("post_id", flat=True))

    assert ranked == [thrice.pk, once.pk]


def test_a_screenshot_is_stored_as_reencoded_pixels(org, supporters):
    pixels = reencode(image_bytes(kind="JPEG"))

    flagged = submit(org, supporters[0], a_flag(screenshot=pixels))

    stored = Screenshot.objects.get(submission=flagged.submission)
    assert bytes(stored.data) == pixels.data and stored.content_type == "image/jpeg"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "not a url"])
def test_an_address_that_is_not_on_the_web_is_refused_and_nothing_stored(org, supporters, url):
    with pytest.raises(NotAPermalink):
        submit(org, supporters[0], a_flag(url=url))

    assert not Post.objects.exists() and not Submission.objects.exists()


def test_the_server_never_fetches_the_address(org, supporters, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a submission opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)

    submit(org, supporters[0], a_flag(url="http://169.254.169.254/latest/meta-data"))

    assert Post.objects.get().url == "http://169.254.169.254/latest/meta-data"
