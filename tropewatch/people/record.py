"""Everything tropewatch holds on one person's accounts, for the author page: their posts with
the detector's verdict on each, the decisions taken on them, the reports sent to platforms and
the complaint cases about them (strikes are counted in ``strikes``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from tropewatch.cases.models import Case
from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import Author, Detection, Post
from tropewatch.reports.models import PlatformReport
from tropewatch.review.item_page import with_status
from tropewatch.review.models import ReviewEvent
from tropewatch.review.status import Action

# The page shows the newest of each; the counts above them say how many there are in all.
SHOWN = 100


@dataclass(frozen=True, slots=True)
class AuthorRecord:
    posts: list[Post]  # each with status, score and flagged (None: never scanned)
    post_count: int
    decisions: list[ReviewEvent]
    decision_count: int
    reports: list[PlatformReport]
    cases: list[Case]


def verdicts(posts: QuerySet[Post], org: Organisation) -> QuerySet[Post]:
    """``posts`` with the detector's newest verdict under the organisation's policy."""
    newest = Detection.objects.filter(post=OuterRef("pk"), policy=org.policy).order_by(
        "-created_at", "-pk")
    return posts.annotate(score=Subquery(newest.values("score")[:1]),
                          flagged=Subquery(newest.values("antisemitic")[:1]))


def record_of(org: Organisation, accounts: list[Author]) -> AuthorRecord:
    posts = Post.objects.filter(org=org, author__in=accounts)
    decisions = (ReviewEvent.objects.for_org(org).filter(post__author__in=accounts)
                 .exclude(action=Action.NOTE).select_related("post"))
    return AuthorRecord(
        posts=list(verdicts(with_status(posts), org).select_related("author", "source")
                   .order_by("-created_at")[:SHOWN]),
        post_count=posts.count(),
        decisions=list(decisions.order_by("-created_at", "-pk")[:SHOWN]),
        decision_count=decisions.count(),
        reports=list(PlatformReport.objects.filter(org=org, post__author__in=accounts)
                     .select_related("post").order_by("-created_at")[:SHOWN]),
        cases=list(Case.objects.filter(org=org, authors__in=accounts).distinct()
                   .order_by("-created_at")),
    )
