"""The author page holds everything on one person: posts across sources with the detector's
verdicts, decisions, reports, cases and strikes; and a lead links any account by hand."""

from __future__ import annotations

import pytest

from tropewatch.cases.services import open_case
from tropewatch.people.services import link
from tropewatch.posts.models import Author, Source
from tropewatch.reports.models import PlatformReport
from tropewatch.review.decisions import Decision, record
from tropewatch.review.status import Action


@pytest.fixture
def dave(org):
    return Author.objects.create(org=org, platform="x", platform_id="d1", handle="grumpydave",
                                 display_name="Dave R")


@pytest.fixture
def dave_elsewhere(org):
    return Author.objects.create(org=org, platform="mastodon", platform_id="m9",
                                 handle="dr@example.social", display_name="Not Like Him")


def test_the_page_holds_posts_verdicts_decisions_reports_and_cases(
        org, members, make_post, client_as, dave, dave_elsewhere):
    other_source = Source.objects.create(org=org, platform="mastodon", name="A server's feed")
    confirmed = make_post("Confirmed hateful words", author=dave, score=0.93)
    quiet = make_post("Lovely weather today", author=dave, score=0.12, flagged=False)
    elsewhere = make_post("Said again on Mastodon", author=dave_elsewhere, platform="mastodon",
                          post_source=other_source)
    make_post("A stranger's post")
    link(dave, dave_elsewhere, "lead", "lead")
    record(org, confirmed.pk, members["moderator"], "moderator",
           Decision(Action.CONFIRM, ["dual_loyalty"]))
    record(org, elsewhere.pk, members["moderator"], "moderator",
           Decision(Action.DISMISS, reason="news"))
    record(org, quiet.pk, members["moderator"], "moderator", Decision(Action.NOTE, note="hm"))
    PlatformReport.objects.create(org=org, post=confirmed, platform="x", status="submitted",
                                  rules_version="2026-11", report_text="report")
    case = open_case(org, [dave, dave_elsewhere], members["lead"], "lead")

    page = client_as("lead").get(f"/o/{org.slug}/authors/{dave.pk}/").content.decode()

    assert "3 posts from 2 accounts" in page and "A stranger" not in page
    assert "A server&#x27;s feed" in page  # across sources
    assert "0.93 flagged" in page and "0.12 <span class=\"muted\">not flagged</span>" in page
    assert "2 decisions on these posts" in page  # the note is not a decision
    assert f"confirm <a href=\"/o/{org.slug}/posts/{confirmed.pk}/\">Post {confirmed.pk}</a>: " \
           "dual_loyalty" in page
    assert "dismiss" in page and "News or reporting" in page
    assert "Reports to the platforms" in page and "submitted" in page
    assert f"Case {case.pk}" in page
    assert "<strong>2</strong> strikes" in page
    assert "?status=all&amp;author=grumpydave" in page


def test_moderators_see_posts_and_decisions_but_not_cases_or_reports(
        org, members, make_post, client_as, dave):
    post = make_post("Confirmed", author=dave)
    record(org, post.pk, members["lead"], "lead", Decision(Action.CONFIRM, ["dual_loyalty"]))

    page = client_as("moderator").get(f"/o/{org.slug}/authors/{dave.pk}/").content.decode()

    assert "1 post from 1 account" in page and "1 decision on these posts" in page
    assert "Reports to the platforms" not in page and "Complaint cases" not in page
    assert "Find another account" not in page


def test_a_lead_finds_any_account_and_links_it_by_hand(org, client_as, dave, dave_elsewhere):
    lead = client_as("lead")
    url = f"/o/{org.slug}/authors/{dave.pk}/"

    found = lead.get(url, {"find": "@dr@example"}).content.decode()
    nothing = lead.get(url, {"find": "nobody-at-all"}).content.decode()
    lead.post(f"{url}link/", {"other": dave_elsewhere.pk})
    after = lead.get(url, {"find": "dr@example"}).content.decode()

    assert "Not Like Him" in found and "Link as the same person" in found
    assert "No other account matches" in nothing
    assert "One person, 2 accounts" in after
    assert "No other account matches" in after  # linked already: not offered again


def test_a_hostile_find_is_shown_escaped(org, client_as, dave):
    page = client_as("lead").get(f"/o/{org.slug}/authors/{dave.pk}/",
                                 {"find": '"><script>alert(1)</script>'}).content.decode()

    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
