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


def test_case_events_join_the_organisations_chain_and_verify_finds_an_edit(
        org, members, author, confirmed):
    from django.db import connection

    from tropewatch.evidence.models import ChainLink
    from tropewatch.evidence.verify import Broken, Intact, verify_chain

    case = open_case(org, [author], members["lead"], "lead")
    act(case, members["lead"], "lead", "investigate")
    assert ChainLink.objects.filter(org=org, kind="case_event").count() == 2
    assert isinstance(verify_chain(org), Intact)

    opening = case.events.order_by("pk").first()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_caseevent SET note = %s WHERE id = %s",
                       ["nothing happened", opening.pk])

    broken = verify_chain(org)
    assert isinstance(broken, Broken)
    assert str(broken).startswith(f"case event {opening.pk} (link ")
    assert "the record was changed after it was chained" in str(broken)


def test_the_case_file_holds_posts_categories_hashes_membership_and_history(
        org, members, author, confirmed, client_as):
    import io

    from pypdf import PdfReader

    from tropewatch.evidence.models import EvidenceRecord
    from tropewatch.members.models import MembershipLook

    case = open_case(org, [author], members["lead"], "lead")
    act(case, members["lead"], "lead", "investigate")
    act(case, members["lead"], "lead", "decide", "warning", note="first offence")

    response = client_as("lead").get(f"/o/{org.slug}/cases/{case.pk}/file.pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "post 0" in text and "post 1" in text and "post 2" not in text
    for evidence in EvidenceRecord.objects.filter(post__in=confirmed[:2]):
        assert evidence.sha256 in text.replace(" ", "")
    assert "Warning" in text and "first offence" in text
    assert "Unknown" in text  # no member list imported: the answer says so
    assert MembershipLook.objects.filter(author=author).count() == 1  # the look is logged


def test_the_case_evidence_bundle_verifies_on_its_own(org, members, author, confirmed,
                                                      client_as, tmp_path):
    from tropewatch.evidence.bundle_check import check_bundle

    case = open_case(org, [author], members["lead"], "lead")

    response = client_as("lead").get(f"/o/{org.slug}/cases/{case.pk}/evidence.zip")

    assert response.status_code == 200
    bundle = tmp_path / "case.zip"
    bundle.write_bytes(response.content)
    assert check_bundle(bundle) == []
