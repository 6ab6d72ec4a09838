"""Reading and deciding items through the API: the console's roles and rules."""

from __future__ import annotations

from service.submissions.flags import flag
from tropewatch.posts.models import Author
from tropewatch.review.models import ReviewEvent

from .conftest import ApiClient


def test_the_queue_in_priority_order_with_personal_data_only_for_those_who_see_it(
    org, make_post, api_as, members
):
    author = Author.objects.create(org=org, platform="x", platform_id="1", handle="poster")
    low = make_post(score=0.5, author=author, url="https://x.com/poster/status/1")
    high = make_post(score=0.95)
    flag(org, low, members["reporter"])

    moderator = api_as("moderator").get("/items").json()
    viewer = api_as("viewer").get("/items").json()

    # A supporter's flag doubles the priority: 0.5 x 2 beats 0.95.
    assert [item["id"] for item in moderator] == [low.pk, high.pk]
    assert moderator[0]["reporters"] == 1 and moderator[0]["author"]["handle"] == "poster"
    assert moderator[0]["url"] == "https://x.com/poster/status/1"
    assert viewer[0]["author"] is None and viewer[0]["url"] is None


def test_a_reporter_cannot_see_any_item_through_the_api(org, make_post, api_as, members):
    own = make_post()
    flag(org, own, members["reporter"])
    reporter = api_as("reporter")

    for path in ("/items", f"/items/{own.pk}"):
        response = reporter.get(path)
        assert response.status_code == 403 and "reporters" in response.json()["detail"]


def test_an_item_of_another_organisation_is_not_found(other_org, make_post, members, api_as):
    post = make_post()
    from tropewatch.accounts.models import Membership
    from tropewatch.api.tokens import create_token

    Membership.objects.create(user=members["admin"], org=other_org, role="admin")
    _, secret = create_token(other_org, members["admin"], "other")

    assert ApiClient(secret).get(f"/items/{post.pk}").status_code == 404
    assert api_as("admin").get(f"/items/{post.pk}").status_code == 200


def test_a_moderator_confirms_and_the_log_records_it(make_post, api_as):
    post = make_post()

    response = api_as("moderator").post(f"/items/{post.pk}/decisions",
                                        {"action": "confirm", "categories": ["rothschild_soros"]})

    assert response.status_code == 201 and response.json() == {"item_id": post.pk,
                                                                 "status": "confirmed"}
    event = ReviewEvent.objects.get()
    assert (event.actor_name, event.action, event.categories) == (
        "moderator", "confirm", ["rothschild_soros"])


def test_a_role_that_may_not_decide_changes_nothing(make_post, api_as):
    post = make_post()

    for role in ("viewer", "triage", "reporter"):
        response = api_as(role).post(f"/items/{post.pk}/decisions", {"action": "confirm",
                                                                    "categories": ["x"]})
        assert response.status_code == 403
    assert not ReviewEvent.objects.exists()


def test_the_console_rules_apply(make_post, api_as):
    post = make_post()
    moderator = api_as("moderator")

    no_reason = moderator.post(f"/items/{post.pk}/decisions", {"action": "dismiss"})
    moderator.post(f"/items/{post.pk}/decisions", {"action": "escalate"})
    closing = moderator.post(f"/items/{post.pk}/decisions",
                             {"action": "dismiss", "reason": "news"})

    assert no_reason.status_code == 422 and "reason" in no_reason.json()["detail"]
    assert closing.status_code == 409  # escalated: leads and admins close it
    assert ReviewEvent.objects.count() == 1
