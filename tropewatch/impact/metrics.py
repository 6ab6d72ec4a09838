"""The dashboard's numbers: rates from the daily roll-ups, the rest from small queries.

Every figure is about the posts **written** in the chosen period (and source and platform):
how many the detector flagged and moderators confirmed per 1,000, how long they waited for a
first decision, how the platforms answered the reports on them, and who wrote them. The
category filter narrows the rates only: the other figures cover every category.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from statistics import median

from django.db.models import Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from tropewatch.members.models import MembershipLook, MembershipResult
from tropewatch.orgs.models import Organisation
from tropewatch.people.services import confirmed_by_person
from tropewatch.people.strikes import is_repeat_offender
from tropewatch.posts.models import Author, Detection, Post
from tropewatch.reports.models import PlatformReport, PlatformReportEvent
from tropewatch.reports.status import ReportAction
from tropewatch.review.models import ReviewEvent, ReviewState
from tropewatch.review.status import Action, Status

from .models import ALL_CATEGORIES, DailyRollup


@dataclass(frozen=True, slots=True)
class Filters:
    since: date | None = None
    until: date | None = None
    source: int | None = None
    platform: str = ""
    category: str = ""


@dataclass(frozen=True, slots=True)
class Rate:
    """Flagged and confirmed posts among ``posts``, and each per 1,000 (None without posts)."""

    label: str
    posts: int
    flagged: int
    confirmed: int

    @property
    def flagged_per_1000(self) -> float | None:
        return per_1000(self.flagged, self.posts)

    @property
    def confirmed_per_1000(self) -> float | None:
        return per_1000(self.confirmed, self.posts)


def per_1000(count: int, posts: int) -> float | None:
    return round(1000 * count / posts, 1) if posts else None


def filtered_rollups(org: Organisation, f: Filters,
                     category: str | None) -> QuerySet[DailyRollup]:
    """The filtered rows of one category ("" the totals), or of every category (None)."""
    rows = DailyRollup.objects.filter(org=org)
    rows = (rows.exclude(category=ALL_CATEGORIES) if category is None
            else rows.filter(category=category))
    if f.since is not None:
        rows = rows.filter(day__gte=f.since)
    if f.until is not None:
        rows = rows.filter(day__lte=f.until)
    if f.source is not None:
        rows = rows.filter(source_id=f.source)
    if f.platform:
        rows = rows.filter(platform=f.platform)
    return rows


def _sums(rows: QuerySet[DailyRollup], key: str) -> dict:
    return {row[key]: row for row in rows.values(key).annotate(
        posts=Sum("posts"), flagged=Sum("flagged"), confirmed=Sum("confirmed")).order_by()}


def bucket_of(day: date, span_days: int) -> date:
    """Days for a period up to two months, weeks (from Monday) up to two years, else months."""
    if span_days <= 62:
        return day
    if span_days <= 731:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def rates_over_time(org: Organisation, f: Filters) -> list[Rate]:
    totals = _sums(filtered_rollups(org, f, ALL_CATEGORIES), "day")
    counted = _sums(filtered_rollups(org, f, f.category), "day") if f.category else totals
    if not totals:
        return []
    span = (max(totals) - min(totals)).days + 1
    buckets: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for day, row in totals.items():
        bucket = buckets[bucket_of(day, span)]
        bucket[0] += row["posts"]
        bucket[1] += counted.get(day, {}).get("flagged", 0)
        bucket[2] += counted.get(day, {}).get("confirmed", 0)
    return [Rate(day.isoformat(), *counts) for day, counts in sorted(buckets.items())]


def rates_by(org: Organisation, f: Filters, dimension: str, names: dict) -> list[Rate]:
    """Rates by "source_id", "platform" or "category" (``names`` labels the keys). A
    category's rate is over all the posts of the period: a post with two categories counts
    in both."""
    if dimension == "category":
        posts = sum(row["posts"] for row in _sums(filtered_rollups(org, f, ALL_CATEGORIES),
                                                   "org").values())
        rows = _sums(filtered_rollups(org, f, f.category or None), "category")
        return sorted((Rate(names.get(key, key), posts, row["flagged"], row["confirmed"])
                       for key, row in rows.items()),
                      key=lambda r: (-r.confirmed, -r.flagged, r.label))
    totals = _sums(filtered_rollups(org, f, ALL_CATEGORIES), dimension)
    counted = _sums(filtered_rollups(org, f, f.category), dimension) if f.category else totals
    return sorted((Rate(names.get(key, str(key)), row["posts"],
                        counted.get(key, {}).get("flagged", 0),
                        counted.get(key, {}).get("confirmed", 0))
                   for key, row in totals.items()), key=lambda r: r.label)


def model_versions(org: Organisation, f: Filters) -> dict[date, dict[str, int]]:
    """The model versions whose verdicts each day's posts carry: where the set changes, the
    series has a break (another model, or a rescan that reached only some days)."""
    out: dict[date, Counter] = defaultdict(Counter)
    rows = filtered_rollups(org, f, ALL_CATEGORIES)
    for day, versions in rows.values_list("day", "model_versions"):
        out[day].update(versions)
    return {day: dict(out[day]) for day in sorted(out)}


def version_breaks(versions: dict[date, dict[str, int]]) -> list[dict]:
    """The days whose posts were judged by another set of models than the day before."""
    out, previous = [], None
    for day, counts in versions.items():
        if previous is not None and set(counts) != set(previous):
            out.append({"day": day, "before": ", ".join(sorted(previous)),
                        "after": ", ".join(sorted(counts))})
        previous = counts
    return out


# The small queries: reviews, reports and people are a few per cent of the posts.

def _posts(org: Organisation, f: Filters) -> QuerySet[Post]:
    posts = Post.objects.filter(org=org)
    if f.since is not None:
        posts = posts.filter(created_at__gte=datetime.combine(f.since, datetime.min.time(), UTC))
    if f.until is not None:
        posts = posts.filter(created_at__lt=datetime.combine(
            f.until + timedelta(days=1), datetime.min.time(), UTC))
    if f.source is not None:
        posts = posts.filter(source_id=f.source)
    if f.platform:
        posts = posts.filter(platform=f.platform)
    return posts


@dataclass(frozen=True, slots=True)
class Wait:
    label: str
    count: int  # how many waits were measured
    median_hours: float | None
    waiting: int  # still waiting


def _median_hours(seconds: list[float]) -> float | None:
    return round(median(seconds) / 3600, 1) if seconds else None


def waits(org: Organisation, f: Filters) -> list[Wait]:
    """Time to first review: from the detector first flagging a post (its import, when it
    was never flagged) to the first decision on it (confirm, dismiss or escalate; notes do not
    count). Time to platform action: from a report's submission to the platform's first
    response or the report's closing."""
    posts = _posts(org, f).filter(pk__in=ReviewEvent.objects.filter(org=org).values("post_id"))
    flagged_at = Detection.objects.filter(post=OuterRef("pk"), antisemitic=True).order_by(
        "created_at").values("created_at")[:1]
    reviewed = posts.annotate(
        start=Coalesce(Subquery(flagged_at), "imported_at"),
        reviewed_at=Min("review_events__created_at",
                        filter=~Q(review_events__action=Action.NOTE)),
    ).values_list("start", "reviewed_at")
    review_waits = [(done - start).total_seconds() for start, done in reviewed if done]
    pending = ReviewState.objects.filter(org=org, status=Status.ESCALATED,
                                         post__in=_posts(org, f)).count()
    answered = PlatformReportEvent.objects.filter(
        report=OuterRef("pk"), action__in=[ReportAction.RESPOND, ReportAction.CLOSE]
    ).order_by("created_at", "pk").values("created_at")[:1]
    reports = PlatformReport.objects.filter(org=org, submitted_at__isnull=False,
                                            post__in=_posts(org, f)).annotate(
        answered_at=Subquery(answered)).values_list("submitted_at", "answered_at")
    report_waits, unanswered = [], 0
    for submitted, done in reports:
        if done is None:
            unanswered += 1
        else:
            report_waits.append((done - submitted).total_seconds())
    return [
        Wait("First review", len(review_waits), _median_hours(review_waits), pending),
        Wait("Platform action", len(report_waits), _median_hours(report_waits), unanswered),
    ]


def report_outcomes(org: Organisation, f: Filters) -> list[tuple[str, int]]:
    """Reports on the posts by where they stand: closed ones by outcome, the others by
    status (a response may carry an outcome before the report is closed)."""
    counts: Counter = Counter()
    for status, outcome in PlatformReport.objects.filter(
            org=org, post__in=_posts(org, f)).values_list("status", "outcome"):
        label = status if not outcome else f"{status}: {outcome.replace('_', ' ')}"
        counts[label] += 1
    return sorted(counts.items())


@dataclass(frozen=True, slots=True)
class Membership:
    reported_authors: int
    member: int
    not_member: int
    unknown: int  # looked up, and the list could not say
    not_looked_up: int

    @property
    def share(self) -> float | None:
        """Members among the reported authors whose membership is known."""
        known = self.member + self.not_member
        return round(100 * self.member / known, 1) if known else None


def membership(org: Organisation, f: Filters) -> Membership:
    """Authors of posts reported to a platform (submitted), by the answer of the latest look
    at each in the membership access log. Nothing is looked up here: a look is one person
    asking about one author, and is logged as such (docs/members.md)."""
    authors = set(PlatformReport.objects.filter(
        org=org, submitted_at__isnull=False, post__in=_posts(org, f),
        post__author__isnull=False).values_list("post__author_id", flat=True))
    latest: dict[int, str] = {}
    for author_id, result in (MembershipLook.objects.filter(org=org, author_id__in=authors)
                              .order_by("created_at", "pk").values_list("author_id", "result")):
        latest[author_id] = result
    answers = Counter(latest.values())
    return Membership(len(authors), answers[MembershipResult.MEMBER],
                      answers[MembershipResult.NOT_MEMBER], answers[MembershipResult.UNKNOWN],
                      len(authors) - len(latest))


@dataclass(frozen=True, slots=True)
class RepeatOffenders:
    people: int  # people with a confirmed post in the filter
    repeat: int  # of them, repeat offenders now (people/strikes.py)

    @property
    def share(self) -> float | None:
        return round(100 * self.repeat / self.people, 1) if self.people else None


def repeat_offenders(org: Organisation, f: Filters) -> RepeatOffenders:
    """People (linked accounts as one) with a confirmed post written in the filter, and how
    many of them are repeat offenders counting all their confirmed posts in the window."""
    now = timezone.now()
    in_filter = set(ReviewState.objects.filter(org=org, status=Status.CONFIRMED,
                                               post__in=_posts(org, f))
                    .values_list("post_id", flat=True))
    authors = Author.objects.for_org(org).filter(posts__review_state__status=Status.CONFIRMED)
    people = repeat = 0
    for _, items in confirmed_by_person(authors):
        if any(item.post_id in in_filter for item in items):
            people += 1
            repeat += is_repeat_offender(items, now)
    return RepeatOffenders(people, repeat)
