"""Rolling up one organisation's day from the raw rows, and keeping the roll-ups fresh.

``rebuild_day`` replaces a day's rows with counts taken from the posts written that day (UTC),
their newest verdict under the organisation's policy, their review status and the categories
the moderator confirmed: running it twice gives the same rows. Whatever changes those raw rows
marks the post's day stale (``stale.py``); ``refresh`` rebuilds the marked
days. Workers refresh every organisation on their sweep; the dashboard refreshes its own
organisation before it reads, so a deployment without workers is never behind either.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import TruncDate

from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import Detection, Post
from tropewatch.review.models import ReviewEvent, ReviewState
from tropewatch.review.status import Action, Status

from .models import ALL_CATEGORIES, DailyRollup, StaleDay

# The model_versions key for posts no verdict under the organisation's policy has judged.
UNSCANNED = "unscanned"


@dataclass(frozen=True, slots=True)
class PostFacts:
    """One post as a roll-up counts it."""

    source_id: int
    platform: str
    flagged: bool
    detected: tuple[str, ...]  # the newest verdict's category ids
    model_version: str  # UNSCANNED without a verdict
    status: str  # the review status; open without a decision
    confirmed_as: tuple[str, ...]  # the moderator's categories on the last confirmation


@dataclass(slots=True)
class Counts:
    posts: int = 0
    flagged: int = 0
    confirmed: int = 0
    dismissed: int = 0
    model_versions: Counter = field(default_factory=Counter)


def tally(posts: Iterable[PostFacts]) -> dict[tuple[int, str, str], Counts]:
    """Counts by (source, platform, category); category "" is every post of the group."""
    out: dict[tuple[int, str, str], Counts] = defaultdict(Counts)
    for post in posts:
        group = (post.source_id, post.platform)
        total = out[(*group, ALL_CATEGORIES)]
        confirmed = post.status == Status.CONFIRMED
        dismissed = post.status == Status.DISMISSED
        total.posts += 1
        total.flagged += post.flagged
        total.confirmed += confirmed
        total.dismissed += dismissed
        total.model_versions[post.model_version] += 1
        # A confirmed post counts under what the moderator confirmed, else what was detected.
        for category in set(post.detected) | set(post.confirmed_as):
            row = out[(*group, category)]
            row.flagged += post.flagged and category in post.detected
            row.confirmed += confirmed and category in (post.confirmed_as or post.detected)
            row.dismissed += dismissed and category in post.detected
    return {key: counts for key, counts in out.items()
            if key[2] == ALL_CATEGORIES or counts.flagged or counts.confirmed or counts.dismissed}


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, UTC)
    return start, start + timedelta(days=1)


def facts_of_day(org: Organisation, day: date) -> list[PostFacts]:
    start, end = day_bounds(day)
    in_day = Q(post__created_at__gte=start, post__created_at__lt=end)
    verdicts: dict[int, tuple[bool, tuple[str, ...], str]] = {}
    # Oldest first, so that each post keeps its newest verdict on its present text.
    for post_id, antisemitic, categories, version in (
            Detection.objects.filter(in_day, org=org, policy=org.policy,
                                     content_sha256=F("post__content_sha256"))
            .order_by("created_at", "pk")
            .values_list("post_id", "antisemitic", "categories", "model_version")):
        ids = tuple(c["id"] for c in categories if isinstance(c, dict) and "id" in c)
        verdicts[post_id] = (antisemitic, ids, version)
    statuses = dict(ReviewState.objects.filter(in_day, org=org)
                    .values_list("post_id", "status"))
    confirmed_as: dict[int, tuple[str, ...]] = {}
    for post_id, categories in (
            ReviewEvent.objects.filter(in_day, org=org, action=Action.CONFIRM)
            .order_by("created_at", "pk").values_list("post_id", "categories")):
        confirmed_as[post_id] = tuple(categories)
    facts = []
    for post_id, source_id, platform in (
            Post.objects.filter(org=org, created_at__gte=start, created_at__lt=end)
            .values_list("pk", "source_id", "platform")):
        flagged, detected, version = verdicts.get(post_id, (False, (), UNSCANNED))
        facts.append(PostFacts(source_id, platform, flagged, detected, version,
                               statuses.get(post_id, Status.OPEN),
                               confirmed_as.get(post_id, ())))
    return facts


def rebuild_day(org: Organisation, day: date) -> int:
    """Replace the day's roll-up rows with counts from the raw rows; returns the posts."""
    counts = tally(facts_of_day(org, day))
    rows = [
        DailyRollup(org=org, day=day, source_id=source_id, platform=platform, category=category,
                    posts=c.posts, flagged=c.flagged, confirmed=c.confirmed,
                    dismissed=c.dismissed, model_versions=dict(c.model_versions))
        for (source_id, platform, category), c in counts.items()
    ]
    with transaction.atomic():
        DailyRollup.objects.filter(org=org, day=day).delete()
        DailyRollup.objects.bulk_create(rows)
    return sum(row.posts for row in rows)


def rebuild(org: Organisation, since: date | None = None) -> tuple[int, int]:
    """Rebuild every day from ``since`` (default: all) that has posts or roll-up rows;
    returns (days, posts)."""
    posts = Post.objects.filter(org=org)
    rolled = DailyRollup.objects.filter(org=org)
    if since is not None:
        posts = posts.filter(created_at__gte=day_bounds(since)[0])
        rolled = rolled.filter(day__gte=since)
    days = set(posts.annotate(day=TruncDate("created_at", tzinfo=UTC))
               .values_list("day", flat=True).distinct())
    days |= set(rolled.values_list("day", flat=True).distinct())
    StaleDay.objects.filter(org=org, day__in=days).delete()
    return len(days), sum(rebuild_day(org, day) for day in sorted(days))


def refresh(org: Organisation) -> int:
    """Rebuild the days marked stale; returns how many."""
    days = sorted(StaleDay.objects.filter(org=org).values_list("day", flat=True))
    for day in days:
        # The mark goes first, in its own transaction: a change committed while the day is
        # rebuilt marks it again, and the next refresh picks it up.
        StaleDay.objects.filter(org=org, day=day).delete()
        rebuild_day(org, day)
    return len(days)


def refresh_all() -> int:
    """Every organisation's stale days, as the workers' sweep runs it."""
    org_ids = StaleDay.objects.values_list("org_id", flat=True).distinct()
    return sum(refresh(org) for org in Organisation.objects.filter(pk__in=list(org_ids)))
