"""Every number the dashboard shows equals one computed here from the raw rows (posts, their
detections, the review log and the reports), on a fixture whose counts are known."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from statistics import median

import pytest

from tropewatch.impact.models import DailyRollup
from tropewatch.impact.rollups import rebuild
from tropewatch.members.models import MembershipLook
from tropewatch.posts.models import Author, Detection, Post, Source
from tropewatch.reports import tracking
from tropewatch.reports.models import PlatformReport
from tropewatch.reports.services import build_draft
from tropewatch.reports.status import ReportAction
from tropewatch.review.decisions import Decision, record
from tropewatch.review.models import ReviewEvent
from tropewatch.review.status import Action, Status, status_from_events

NOW = datetime.now(UTC)


@pytest.fixture
def world(org, source, members, make_post):
    """Two sources, two platforms, posts on two days, every kind of decision, one report."""
    other = Source.objects.create(org=org, platform="csv", name="Second source")
    poster = Author.objects.create(org=org, platform="x", platform_id="u1", handle="poster")
    once = Author.objects.create(org=org, platform="bluesky", platform_id="u2", handle="once")
    three, ten = timedelta(days=3), timedelta(days=10)
    p = {
        "confirmed": make_post(age=three, categories=["rothschild_soros"], author=poster),
        "dismissed": make_post(age=three, categories=["holocaust_denial"]),
        "plain": make_post(age=ten, flagged=False, categories=[], platform="bluesky"),
        "escalated": make_post(age=ten, post_source=other),
        "bare": make_post(age=ten, categories=[], post_source=other, author=poster),
        "unflagged_confirmed": make_post(age=three, flagged=False, categories=[],
                                         platform="bluesky", post_source=other, author=once),
    }
    for n in range(6):
        make_post(age=three if n % 2 else ten, flagged=False, categories=[],
                  post_source=other if n < 3 else None)
    lead, moderator = members["lead"], members["moderator"]
    record(org, p["confirmed"].pk, moderator, "moderator",
           Decision(Action.CONFIRM, ["rothschild_soros", "power_control"]))
    record(org, p["dismissed"].pk, moderator, "moderator", Decision(Action.DISMISS,
                                                                    reason="news"))
    record(org, p["escalated"].pk, moderator, "moderator", Decision(Action.NOTE, note="hm"))
    record(org, p["escalated"].pk, moderator, "moderator", Decision(Action.ESCALATE))
    record(org, p["bare"].pk, lead, "lead", Decision(Action.CONFIRM))
    record(org, p["unflagged_confirmed"].pk, lead, "lead",
           Decision(Action.CONFIRM, ["dual_loyalty"]))
    # Known waits: each flagged post was flagged some hours before its first decision. They
    # count back from the decisions just made, not from NOW: in a long run this module is
    # imported minutes before the test, and that gap would add to every wait.
    decided = datetime.now(UTC)
    for key, hours in (("confirmed", 2), ("dismissed", 5), ("escalated", 9), ("bare", 30)):
        Detection.objects.filter(post=p[key]).update(created_at=decided - timedelta(hours=hours))
    report = tracking.record(p["confirmed"], lead, "lead", ReportAction.DRAFT,
                             draft=build_draft(p["confirmed"]))
    tracking.record(p["confirmed"], lead, "lead", ReportAction.SUBMIT, reference="R1")
    PlatformReport.objects.filter(pk=report.pk).update(submitted_at=decided - timedelta(hours=7))
    tracking.record(p["confirmed"], lead, "lead", ReportAction.RESPOND, outcome="removed")
    MembershipLook.objects.create(org=org, author=poster, actor_name="lead", actor_role="lead",
                                  result="member")
    rebuild(org)
    return p


def _status(post: Post) -> str:
    return status_from_events(ReviewEvent.objects.filter(post=post).order_by("created_at", "pk"))


def _verdict(post: Post) -> Detection | None:
    return (Detection.objects.filter(post=post, policy=post.org.policy,
                                     content_sha256=post.content_sha256)
            .order_by("created_at", "pk").last())


def _expected_rates(posts: list[Post], key) -> dict:
    out = defaultdict(lambda: [0, 0, 0])
    for post in posts:
        verdict = _verdict(post)
        row = out[key(post)]
        row[0] += 1
        row[1] += bool(verdict and verdict.antisemitic)
        row[2] += _status(post) == Status.CONFIRMED
    return dict(out)


def _per_1000(count, posts):
    return round(1000 * count / posts, 1) if posts else None


def _rows(response, slug):
    return {chart.slug: chart for chart in response.context["charts"]}[slug].rows


@pytest.fixture
def dashboard(client_as, org):
    client = client_as("lead")
    return lambda **query: client.get(f"/o/{org.slug}/dashboard/", query)


def test_rates_by_source_and_platform_equal_counts_from_the_raw_rows(world, dashboard, org):
    response = dashboard()
    posts = list(Post.objects.filter(org=org))
    for slug, key, label in (
            ("by-source", lambda p: p.source_id, lambda k: Source.objects.get(pk=k).name),
            ("by-platform", lambda p: p.platform, lambda k: dict(x="X (Twitter)",
                                                                 bluesky="Bluesky")[k])):
        expected = sorted([label(k), n, f, c, _per_1000(f, n), _per_1000(c, n)]
                          for k, (n, f, c) in _expected_rates(posts, key).items())
        assert sorted(_rows(response, slug)) == expected
    assert sum(row[1] for row in _rows(response, "by-source")) == 12


def test_rates_over_time_equal_counts_per_day(world, dashboard, org):
    rows = _rows(dashboard(), "over-time")
    posts = list(Post.objects.filter(org=org))
    expected = sorted([k.isoformat(), n, f, c, _per_1000(f, n), _per_1000(c, n)] for k, (n, f, c)
                      in _expected_rates(posts, lambda p: p.created_at.date()).items())
    assert rows == expected  # ten days apart: one point per day
    assert [row[1:4] for row in rows] == [[6, 2, 1], [6, 2, 2]]


def test_rates_by_category_count_the_confirmed_categories_over_all_posts(world, dashboard):
    from tropewatch.review.forms import category_choices

    names = dict(category_choices())
    rows = {row[0]: row[1:4] for row in _rows(dashboard(), "by-category")}
    # Over all 12 posts. Rothschild: flagged twice (one confirmed, one escalated); the
    # moderator added power control; dual loyalty was confirmed on a post never flagged; the
    # dismissed Holocaust denial post was flagged. The post confirmed with no category is in
    # no category.
    assert rows == {names["rothschild_soros"]: [12, 2, 1], names["power_control"]: [12, 0, 1],
                    names["dual_loyalty"]: [12, 0, 1], names["holocaust_denial"]: [12, 1, 0]}


def test_a_source_and_category_filter_narrow_the_rates(world, dashboard, org, source):
    rows = _rows(dashboard(source=source.pk, category="rothschild_soros"), "by-platform")
    mine = [p for p in Post.objects.filter(org=org, source=source)]
    by_platform = _expected_rates(mine, lambda p: p.platform)
    assert sorted(row[:2] for row in rows) == sorted(
        [{"x": "X (Twitter)", "bluesky": "Bluesky"}[k], n] for k, (n, _, _) in by_platform.items())
    assert sum(row[2] for row in rows) == 1  # the one Rothschild post of this source
    assert sum(row[3] for row in rows) == 1


def test_a_period_filter_keeps_the_days_in_it(world, dashboard):
    since = (NOW - timedelta(days=5)).date()
    rows = _rows(dashboard(since=since.isoformat()), "over-time")
    assert [row[0] for row in rows] == [(NOW - timedelta(days=3)).date().isoformat()]


def test_waits_are_the_medians_of_the_raw_logs(world, dashboard, org):
    rows = {row[0]: row[1:] for row in _rows(dashboard(), "waits")}
    review_waits = []
    for post in Post.objects.filter(org=org, review_events__isnull=False).distinct():
        first = (ReviewEvent.objects.filter(post=post).exclude(action=Action.NOTE)
                 .order_by("created_at").first())
        flagged = (Detection.objects.filter(post=post, antisemitic=True)
                   .order_by("created_at").first())
        start = flagged.created_at if flagged else post.imported_at
        review_waits.append((first.created_at - start).total_seconds() / 3600)
    assert rows["First review"] == [5, round(median(review_waits), 1), 1]  # 1 escalated
    assert rows["First review"][1] == 5.0  # of 2, 5, 9, 30 and ~0 hours
    assert rows["Platform action"] == [1, 7.0, 0]


def test_report_outcomes_membership_and_repeat_offenders(world, dashboard):
    response = dashboard()
    assert _rows(response, "report-outcomes") == [["responded: removed", 1]]
    assert _rows(response, "membership") == [["Member", 1], ["Not a member", 0],
                                             ["Unknown", 0], ["Not looked up", 0]]
    # poster has two confirmed posts (a repeat offender); once has one.
    assert _rows(response, "repeat-offenders") == [["With a confirmed post", 2],
                                                   ["Repeat offenders", 1]]
    assert b"Call-outs made" in response.content
    assert b"No replies marked posted in this period" in response.content


def test_call_outs_are_the_replies_marked_posted_counted_by_week(world, dashboard, org):
    from tropewatch.education.models import CallOut

    for action in ("approved", "posted", "posted"):
        CallOut.objects.create(org=org, post=world["confirmed"], actor_name="lead",
                               actor_role="lead", action=action, tone="explain",
                               text="Please stop.", url="https://x.com/a/status/1"
                               if action == "posted" else "")

    response = dashboard()

    week = response.context["call_outs"]
    assert list(week.values()) == [2]  # approvals are not call-outs
    assert b"<td>2</td>" in response.content


def test_allies_answers_are_counted_by_week_and_answer_beside_the_call_outs(
        world, dashboard, org, other_org, members):
    from collections import Counter

    from tropewatch.allies.models import Ally, AllyResponse, CallToAction

    call = CallToAction.objects.create(org=org, post=world["confirmed"], sent_by_name="lead",
                                       site_url="http://testserver/")
    allies = [Ally.objects.create(org=org, name=f"A{n}", email=f"a{n}@example.org")
              for n in range(3)]
    this_week = NOW - timedelta(days=NOW.weekday())  # Monday, this week
    answered = [(allies[0], "replied", this_week), (allies[1], "replied", this_week),
                (allies[1], "reported", this_week), (allies[2], "reported",
                                                      this_week - timedelta(days=7)),
                (None, "replied", this_week)]  # an erased ally's answer still counts
    for ally, answer, when in answered:
        AllyResponse.objects.create(org=org, call=call, ally=ally, answer=answer,
                                    created_at=when)
    elsewhere = CallToAction.objects.create(org=other_org, post=world["confirmed"],
                                            sent_by_name="x", site_url="http://testserver/")
    AllyResponse.objects.create(org=other_org, call=elsewhere, answer="replied")

    response = dashboard()

    expected = Counter((row.created_at.date() - timedelta(days=row.created_at.weekday()),
                        row.answer) for row in AllyResponse.objects.filter(org=org))
    shown = response.context["ally_answers"]
    assert {(week, answer): n for week, answers in shown.items()
            for answer, n in answers.items()} == dict(expected)
    assert shown[this_week.date()] == {"replied": 3, "reported": 1}
    page = response.content.decode()
    assert "Allies' answers" in page and "<td>3</td><td>1</td>" in page


def test_the_membership_chart_is_for_roles_that_see_membership_only(world, org, client_as):
    from tropewatch.impact import charts

    assert charts.allowed("membership", "lead") and not charts.allowed("membership", "viewer")


def test_a_decision_reaches_the_dashboard_on_its_next_load(world, dashboard, org, members):
    record(org, world["escalated"].pk, members["lead"], "lead", Decision(Action.CONFIRM))
    rows = _rows(dashboard(), "over-time")
    assert [row[3] for row in rows] == [2, 2]  # was [1, 2]: the escalated post is 10 days old


def test_downloads_hold_the_table_and_the_picture(world, client_as, org):
    client = client_as("admin")
    csv = client.get(f"/o/{org.slug}/dashboard/by-platform.csv").content.decode()
    assert csv.splitlines()[0] == ('Platform,Posts,Flagged,Confirmed,"Flagged per 1,000",'
                                   '"Confirmed per 1,000"')
    assert csv.splitlines()[1:] == ["Bluesky,2,0,1,0.0,500.0", "X (Twitter),10,4,2,400.0,200.0"]
    svg = client.get(f"/o/{org.slug}/dashboard/over-time.svg")
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert svg.content.startswith(b"<svg xmlns=") and b"<script" not in svg.content
    assert b"style" not in svg.content  # presentation attributes only: the CSP allows it


def test_a_source_name_is_escaped_in_the_picture_and_the_page(world, client_as, org, source):
    Source.objects.filter(pk=source.pk).update(name="<script>alert(1)</script>")
    response = client_as("lead").get(f"/o/{org.slug}/dashboard/")
    assert b"<script>alert(1)" not in response.content
    assert b"&lt;script&gt;alert(1)" in response.content


def test_every_rollup_row_is_rebuilt_the_same(world, org):
    def snapshot():
        return sorted(DailyRollup.objects.filter(org=org).values_list(
            "day", "source_id", "platform", "category", "posts", "flagged", "confirmed",
            "dismissed", "model_versions"), key=str)

    first = snapshot()
    assert rebuild(org) == rebuild(org)
    assert snapshot() == first and first
