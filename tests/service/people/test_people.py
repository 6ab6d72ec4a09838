"""Linking accounts as one person, the author page, and the repeat-offender list."""

from __future__ import annotations

import pytest

from tropewatch.cases.models import Case
from tropewatch.people.models import LinkedAccount, LinkEvent, Person
from tropewatch.people.services import accounts_of, link, repeat_offenders, suggestions, unlink
from tropewatch.posts.models import Author
from tropewatch.review.decisions import Decision, record
from tropewatch.review.status import Action


@pytest.fixture
def accounts(org):
    def make(platform: str, handle: str, name: str = "") -> Author:
        return Author.objects.create(org=org, platform=platform, platform_id=handle,
                                     handle=handle, display_name=name)
    return {
        "x": make("x", "GrumpyDave77", "Dave R"),
        "bluesky": make("bluesky", "grumpydave77.bsky.social", "Dave R."),
        "mastodon": make("mastodon", "grumpy_dave77@mastodon.social"),
        "stranger": make("x", "sunflower_jo", "Jo"),
    }


@pytest.fixture
def confirm(org, members, make_post):
    def confirm(author, *categories: str, text: str = "a post"):
        post = make_post(text, author=author)
        record(org, post.pk, members["lead"], "lead",
               Decision(Action.CONFIRM, categories=list(categories)))
        return post
    return confirm


def test_linking_merges_people_and_unlinking_leaves_no_lonely_person(accounts):
    link(accounts["x"], accounts["bluesky"], "lead", "lead")
    link(accounts["mastodon"], accounts["stranger"], "lead", "lead")
    link(accounts["bluesky"], accounts["mastodon"], "lead", "lead")

    assert set(accounts_of(accounts["x"])) == {accounts[k] for k in accounts}
    assert Person.objects.count() == 1

    unlink(accounts["stranger"], "lead", "lead")
    assert accounts_of(accounts["stranger"]) == [accounts["stranger"]]
    unlink(accounts["x"], "lead", "lead")
    unlink(accounts["bluesky"], "lead", "lead")
    assert not LinkedAccount.objects.exists() and not Person.objects.exists()
    assert [e.action for e in LinkEvent.objects.all()] == ["link"] * 3 + ["unlink"] * 3


def test_suggestions_find_the_same_handle_across_platforms(accounts, confirm):
    for key in ("bluesky", "mastodon", "stranger"):
        confirm(accounts[key])

    suggested = [author for author, _ in suggestions(accounts["x"])]

    assert set(suggested) == {accounts["bluesky"], accounts["mastodon"]}


def test_linked_accounts_count_as_one_repeat_offender(org, accounts, confirm):
    confirm(accounts["x"], "holocaust_denial")
    confirm(accounts["bluesky"], "dual_loyalty")
    confirm(accounts["stranger"], "smear_dismissal")

    assert repeat_offenders(org) == []

    link(accounts["x"], accounts["bluesky"], "lead", "lead")
    [offender] = repeat_offenders(org)
    assert set(offender.accounts) == {accounts["x"], accounts["bluesky"]}
    assert (offender.confirmed, offender.strikes) == (2, 5)


def test_the_author_page_shows_strikes_and_suggestions(org, accounts, confirm, client_as):
    confirm(accounts["x"], "holocaust_denial", text="first post")
    confirm(accounts["x"], "dual_loyalty", text="second post")
    confirm(accounts["bluesky"])

    page = client_as("lead").get(f"/o/{org.slug}/authors/{accounts['x'].pk}/")

    assert b"first post" in page.content and b"second post" in page.content
    assert b"<strong>5</strong> strikes" in page.content
    assert b"repeat offender" in page.content
    assert b"grumpydave77.bsky.social" in page.content  # suggested


def test_a_lead_links_from_the_page_and_a_case_then_holds_both_accounts(
        org, accounts, confirm, client_as):
    post = confirm(accounts["x"])
    confirm(accounts["bluesky"])
    lead = client_as("lead")

    lead.post(f"/o/{org.slug}/authors/{accounts['x'].pk}/link/",
              {"other": accounts["bluesky"].pk})
    lead.post(f"/o/{org.slug}/posts/{post.pk}/case/")

    case = Case.objects.get()
    assert set(case.authors.all()) == {accounts["x"], accounts["bluesky"]}
    page = lead.get(f"/o/{org.slug}/authors/{accounts['x'].pk}/").content.decode()
    assert "Who linked these accounts" in page
    assert 'lead <span class="muted">(lead)</span> linked' in page
    assert case.posts.count() == 2


def test_moderators_read_author_pages_without_linking(org, accounts, client_as):
    moderator = client_as("moderator")

    page = moderator.get(f"/o/{org.slug}/authors/{accounts['x'].pk}/")

    assert page.status_code == 200 and b"Same person elsewhere" not in page.content
    assert moderator.post(f"/o/{org.slug}/authors/{accounts['x'].pk}/link/",
                          {"other": accounts["bluesky"].pk}).status_code == 403


def test_linking_refuses_a_bad_or_foreign_account(org, other_org, accounts, client_as):
    foreign = Author.objects.create(org=other_org, platform="x", platform_id="f", handle="f")
    lead = client_as("lead")
    url = f"/o/{org.slug}/authors/{accounts['x'].pk}/link/"

    assert lead.post(url, {"other": foreign.pk}).status_code == 404
    assert lead.post(url, {"other": "9" * 30}, follow=True).status_code == 200
    assert not LinkedAccount.objects.exists()
