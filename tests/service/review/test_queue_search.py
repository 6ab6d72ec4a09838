"""Searching, sorting and the author filter, on the queue and the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tropewatch.posts.models import Author
from tropewatch.review.decisions import Decision, record
from tropewatch.review.queue import QueueFilters, queue
from tropewatch.review.status import Action

from ..posts.test_search import HOSTILE


def _ids(items) -> list[int]:
    return [item.post_id for item in items]


@pytest.fixture
def alice(org):
    return Author.objects.create(org=org, platform="mastodon", platform_id="109",
                                 handle="alice", display_name="Alice Wonder")


def test_the_queue_searches_text_author_and_url(org, members, make_post, alice):
    banks = make_post("The Rothschilds control the banks")
    hers = make_post("Something else entirely", author=alice)
    linked = make_post("A third post", url="https://bsky.app/profile/carol/post/3kxyz")

    def found(words: str) -> set[int]:
        return set(_ids(queue(org, members["moderator"], QueueFilters(search=words,
                                                                   search_people=True))))

    assert found("rothschild") == {banks.pk}
    assert found("@alice") == {hers.pk} == found("Alice Wonder")
    assert found("bsky.app/profile/carol") == {linked.pk}
    assert found("") == {banks.pk, hers.pk, linked.pk}


def test_the_author_filter_takes_a_handle_a_name_or_an_id(org, members, make_post, alice):
    hers = make_post("hers", author=alice)
    make_post("someone else's", author=Author.objects.create(
        org=org, platform="x", platform_id="7", handle="alice2"))
    make_post("nobody's")

    def by(author: str) -> list[int]:
        filters = QueueFilters(author=author, search_people=True)
        return _ids(queue(org, members["moderator"], filters))

    for given in ("alice", "@Alice", "alice wonder", "109"):
        assert by(given) == [hers.pk]
    assert by("nobody") == []


def test_roles_without_personal_data_search_the_text_alone(client_as, make_post, alice):
    hers = make_post("Something else entirely", author=alice)
    about = make_post("A post that names alice in its text")

    def found(role: str, **query: str) -> str:
        return client_as(role).get("/o/campaign/queue/", query).content.decode()

    viewer = found("viewer", q="alice")
    triage = found("triage", author="alice", status="all")
    moderator = found("moderator", q="alice")

    assert about.text in viewer and hers.text not in viewer
    assert "Author (handle or name)" not in viewer and "Search text<" in viewer
    assert hers.text in triage and about.text in triage  # the author filter is ignored
    assert hers.text in moderator and about.text in moderator


def test_each_sort_orders_the_queue(org, members, make_post):
    # Priority puts the fresh, widely seen post first; each sort puts its own winner first.
    old_high = make_post("old high", score=0.99, age=timedelta(days=20))
    viral = make_post("viral", score=0.6, reach={"likes": 90000, "shares": 5000})
    fresh = make_post("fresh", score=0.7, age=timedelta(minutes=5))

    def order(sort: str) -> list[int]:
        return _ids(queue(org, members["moderator"], QueueFilters(sort=sort)))

    assert order("priority") == [viral.pk, fresh.pk, old_high.pk]
    assert order("score") == [old_high.pk, fresh.pk, viral.pk]
    assert order("reach") == [viral.pk, fresh.pk, old_high.pk]  # ties: the newer post first
    assert order("newest") == [fresh.pk, viral.pk, old_high.pk]
    assert order("oldest") == [old_high.pk, viral.pk, fresh.pk]


def test_the_queue_page_searches_sorts_and_says_what_priority_is(client_as, make_post):
    low = make_post("Soros funds everything", score=0.55)
    high = make_post("The Rothschilds control the banks", score=0.95)
    client = client_as("moderator")

    searched = client.get("/o/campaign/queue/", {"q": "soros"}).content.decode()
    by_score = client.get("/o/campaign/queue/", {"sort": "score"}).content.decode()
    default = client.get("/o/campaign/queue/").content.decode()

    assert low.text in searched and high.text not in searched
    assert by_score.index(high.text) < by_score.index(low.text)
    assert 'aria-sort="descending"' in by_score and "Sorted: highest score" in by_score
    assert 'class="priority-help" title="Priority: the detector&#x27;s score' in default
    assert "sort=score" in default  # the column headings link to the sorts
    assert "Priority: the detector&#x27;s score" in default.split('id="help"')[1]  # help dialog


def test_an_unknown_sort_falls_back_to_priority(client_as, make_post):
    make_post("a post")

    page = client_as("viewer").get("/o/campaign/queue/", {"sort": "-priority; DROP"})

    assert page.status_code == 200 and "In order of" in page.content.decode()


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_searches_answer_the_page(client_as, make_post, query):
    make_post('quoted "words" NEAR(them)')
    client = client_as("lead")

    assert client.get("/o/campaign/queue/", {"q": query, "author": query}).status_code == 200
    assert client.get("/o/campaign/audit/", {"q": query}).status_code == 200


def test_a_search_longer_than_the_box_is_refused_beside_the_field(client_as, make_post):
    make_post("a post")

    body = client_as("viewer").get("/o/campaign/queue/", {"q": "word " * 100}).content.decode()

    assert "Ensure this value has at most 200 characters" in body


def test_the_audit_log_searches_the_posts_of_its_events(client_as, org, members, make_post,
                                                        alice):
    hers = make_post("Something about banks", author=alice)
    other = make_post("Another thing")
    record(org, hers.pk, members["moderator"], "moderator", Decision(Action.ESCALATE))
    record(org, other.pk, members["moderator"], "moderator", Decision(Action.ESCALATE))
    client = client_as("lead")

    by_handle = client.get("/o/campaign/audit/", {"q": "@alice"}).content.decode()
    by_text = client.get("/o/campaign/audit.csv", {"q": "banks"})
    rows = b"".join(by_text.streaming_content).decode().splitlines()

    assert "1 event" in by_handle and f">{hers.pk}</a>" in by_handle
    assert len(rows) == 2 and f",{hers.pk}," in rows[1]
