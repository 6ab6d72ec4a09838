"""A reporter sees their own flags, with status and outcome, and nothing else."""

from __future__ import annotations

from service.submissions.flags import flag
from tropewatch.review.decisions import Decision, record
from tropewatch.review.status import Action


def test_a_reporter_sees_their_flags_with_status_and_outcome(org, members, make_post,
                                                             client_as):
    kept = make_post(text="The Rothschilds own the banks.")
    dropped = make_post(text="A news report on a rally.")
    flag(org, kept, members["reporter"])
    flag(org, dropped, members["reporter"], note="<b>look</b>")
    record(org, kept.pk, members["admin"], "admin", Decision(Action.CONFIRM))
    record(org, dropped.pk, members["admin"], "admin",
           Decision(Action.DISMISS, reason="news", note="moderators only"))
    client = client_as("reporter")

    page = client.get(f"/o/{org.slug}/submissions/").content.decode()
    item = client.get(f"/o/{org.slug}/submissions/{dropped.pk}/").content.decode()

    assert "Confirmed as antisemitic" in page
    assert "Not taken further: News or reporting" in page
    assert "&lt;b&gt;look&lt;/b&gt;" in item and "<b>look" not in item
    assert "moderators only" not in item and "admin" not in item.split("</header>")[1]


def test_a_reporter_cannot_see_any_other_item(org, members, make_post, client_as):
    own = make_post()
    others = make_post(text="Flagged by someone else")
    flag(org, own, members["reporter"])
    flag(org, others, members["moderator"], screenshot=True)
    client = client_as("reporter")

    assert client.get(f"/o/{org.slug}/submissions/{others.pk}/").status_code == 404
    assert client.get(f"/o/{org.slug}/posts/{others.pk}/").status_code == 403
    assert client.get(f"/o/{org.slug}/posts/{own.pk}/").status_code == 403
    assert client.get(f"/o/{org.slug}/queue/").status_code == 403
    other_shot = others.submissions.get().pk
    assert client.get(f"/o/{org.slug}/screenshots/{other_shot}/").status_code == 403
    assert "Flagged by someone else" not in client.get(
        f"/o/{org.slug}/submissions/").content.decode()


def test_a_reporter_lands_on_their_submissions(org, members, client_as):
    response = client_as("reporter").get("/")

    assert response.status_code == 302 and response["Location"] == f"/o/{org.slug}/submissions/"


def test_the_item_page_says_a_person_flagged_it_and_blurs_the_screenshot(
    org, members, make_post, client_as
):
    post = make_post(score=0.1, flagged=False)
    shot = flag(org, post, members["reporter"], screenshot=True, note="seen in our group")

    moderator = client_as("moderator").get(f"/o/{org.slug}/posts/{post.pk}/").content.decode()
    viewer = client_as("viewer").get(f"/o/{org.slug}/posts/{post.pk}/").content.decode()
    queue = client_as("viewer").get(f"/o/{org.slug}/queue/").content.decode()

    assert "1 supporter flagged this post" in moderator and "seen in our group" in moderator
    assert 'class="blurred" data-unblur' in moderator
    assert f"/o/{org.slug}/screenshots/{shot.pk}/" in moderator
    assert f"/screenshots/{shot.pk}/" not in viewer  # screenshots show people
    assert "flagged by 1 person" in queue
    assert "reporter" not in moderator.split("</header>")[1]  # who flagged it is not shown


def test_the_screenshot_is_served_as_the_image_it_is(org, members, make_post, client_as):
    shot = flag(org, make_post(), members["reporter"], screenshot=True)

    response = client_as("moderator").get(f"/o/{org.slug}/screenshots/{shot.pk}/")

    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"\x89PNG")
