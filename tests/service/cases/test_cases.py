"""Opening a case from a confirmed post, moving it on, and its log."""

from __future__ import annotations

import pytest

from tropewatch.cases.models import Case, CaseEvent
from tropewatch.cases.services import NothingToOpen, act, open_case
from tropewatch.cases.status import InvalidCaseTransition, state_from_events
from tropewatch.posts.models import Author
from tropewatch.review.decisions import Decision, record
from tropewatch.review.models import AppendOnlyError
from tropewatch.review.status import Action


@pytest.fixture
def author(org):
    return Author.objects.create(org=org, platform="x", platform_id="a1", handle="poster",
                                 display_name="A Poster")


@pytest.fixture
def confirmed(org, members, make_post, author):
    """Two of the author's posts confirmed, one dismissed, one open."""
    posts = [make_post(f"post {i}", author=author) for i in range(4)]
    lead = members["lead"]
    record(org, posts[0].pk, lead, "lead", Decision(Action.CONFIRM))
    record(org, posts[1].pk, lead, "lead", Decision(Action.CONFIRM))
    record(org, posts[2].pk, lead, "lead", Decision(Action.DISMISS, reason="news"))
    return posts


def test_a_case_holds_the_authors_confirmed_posts_only(org, members, author, confirmed):
    case = open_case(org, [author], members["lead"], "lead")

    assert set(case.posts.all()) == set(confirmed[:2])
    assert list(case.authors.all()) == [author]
    assert case.state == "open"
    event = CaseEvent.objects.get()
    assert (event.action, event.actor_name, event.post_ids) == (
        "open", "lead", [p.pk for p in confirmed[:2]])


def test_a_case_needs_a_confirmed_post(org, members, make_post, author):
    make_post(author=author)

    with pytest.raises(NothingToOpen):
        open_case(org, [author], members["lead"], "lead")
    assert not Case.objects.exists()


def test_the_stored_state_is_the_fold_of_the_log(org, members, author, confirmed):
    lead = members["lead"]
    case = open_case(org, [author], lead, "lead")
    for action, outcome in [("investigate", ""), ("request_response", ""), ("resume", ""),
                            ("decide", "not_a_member"), ("reopen", ""),
                            ("decide", "education"), ("close", "")]:
        act(case, lead, "lead", action, outcome)
        assert (case.state, case.outcome) == state_from_events(case.events.all())

    assert (case.state, case.outcome) == ("closed", "education")
    with pytest.raises(InvalidCaseTransition, match="closed"):
        act(case, lead, "lead", "note", note="too late")
    assert case.events.count() == 8


def test_a_refused_transition_changes_nothing(org, members, author, confirmed):
    case = open_case(org, [author], members["lead"], "lead")

    with pytest.raises(InvalidCaseTransition):
        act(case, members["lead"], "lead", "close")

    assert case.state == "open" and case.events.count() == 1


def test_adding_posts_takes_the_newly_confirmed_ones(org, members, author, confirmed):
    lead = members["lead"]
    case = open_case(org, [author], lead, "lead")
    record(org, confirmed[3].pk, lead, "lead", Decision(Action.CONFIRM))

    event = act(case, lead, "lead", "add_posts")

    assert event.post_ids == [confirmed[3].pk]
    assert case.posts.count() == 3


def test_the_case_log_is_append_only(org, members, author, confirmed):
    case = open_case(org, [author], members["lead"], "lead")
    event = case.events.get()

    with pytest.raises(AppendOnlyError):
        event.note = "rewritten"
        event.save()
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(pk=event.pk).update(note="rewritten")
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.all().delete()


def test_a_lead_opens_a_case_from_the_item_and_moves_it_on(org, client_as, author, confirmed):
    lead = client_as("lead")

    item = lead.get(f"/o/{org.slug}/posts/{confirmed[0].pk}/")
    assert b"Open a case about this author" in item.content
    response = lead.post(f"/o/{org.slug}/posts/{confirmed[0].pk}/case/")

    case = Case.objects.get()
    assert response["Location"] == f"/o/{org.slug}/cases/{case.pk}/"
    page = lead.get(response["Location"])
    assert b"post 0" in page.content and b"post 1" in page.content
    assert b"post 2" not in page.content
    # Opening again from another of their posts leads to the same case.
    again = lead.post(f"/o/{org.slug}/posts/{confirmed[1].pk}/case/")
    assert again["Location"] == response["Location"] and Case.objects.count() == 1

    lead.post(f"/o/{org.slug}/cases/{case.pk}/act/", {"action": "investigate"})
    lead.post(f"/o/{org.slug}/cases/{case.pk}/act/",
              {"action": "decide", "outcome": "warning", "note": "first offence"})

    case.refresh_from_db()
    assert (case.state, case.outcome) == ("decided", "warning")
    page = lead.get(f"/o/{org.slug}/cases/{case.pk}/")
    assert b"Warning" in page.content and b"first offence" in page.content


def test_a_refused_step_is_explained_on_the_page(org, client_as, author, confirmed, members):
    case = open_case(org, [author], members["lead"], "lead")
    lead = client_as("lead")

    response = lead.post(f"/o/{org.slug}/cases/{case.pk}/act/", {"action": "close"},
                         follow=True)

    assert b"Not done: a case that is open cannot take" in response.content
    case.refresh_from_db()
    assert case.state == "open"


def test_moderators_see_no_case_button(org, client_as, author, confirmed):
    page = client_as("moderator").get(f"/o/{org.slug}/posts/{confirmed[0].pk}/")

    assert b"Open a case" not in page.content
