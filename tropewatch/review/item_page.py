"""Everything the item page shows about one post, gathered in one place."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Coalesce

from tropewatch.detector.taxonomy import load_taxonomy
from tropewatch.posts.models import Detection, Post
from tropewatch.posts.scanning import current_model_version
from tropewatch.submissions.models import Screenshot, Submission

from .highlight import Segment, segments
from .models import ReviewEvent
from .status import Status

THREAD_ANCESTORS = 5
THREAD_REPLIES = 10
AUTHOR_POSTS = 10


@dataclass(frozen=True, slots=True)
class ExplainedCategory:
    id: str
    name: str
    score: float
    explainer: str
    ihra_example: int | None
    ihra_text: str


def current_detection(post: Post) -> Detection | None:
    """The detection under the organisation's policy from the model in force; else the
    newest under that policy (the post has not been scanned again since a model change)."""
    detections = Detection.objects.filter(post=post, policy=post.org.policy)
    return (
        detections.filter(model_version=current_model_version(post.org)).first()
        or detections.order_by("-created_at").first()
    )


def highlighted(post: Post, detection: Detection | None) -> list[Segment]:
    # Offsets from a detection of other text would mark the wrong words.
    fresh = detection is not None and detection.content_sha256 == post.content_sha256
    return segments(post.text, detection.spans if fresh else [])


def explained_categories(detection: Detection | None) -> list[ExplainedCategory]:
    if detection is None:
        return []
    taxonomy = load_taxonomy()
    examples = {example.number: example.text for example in taxonomy.ihra_examples}
    out = []
    for found in detection.categories:
        try:
            category = taxonomy.category(found.get("id", ""))
        except KeyError:
            continue  # a category a later taxonomy dropped: nothing to explain
        out.append(ExplainedCategory(
            id=category.id, name=category.name, score=float(found.get("score", 0.0)),
            explainer=category.explainer, ihra_example=category.ihra_example,
            ihra_text=examples.get(category.ihra_example, ""),
        ))
    return out


def with_status(posts: QuerySet[Post]) -> QuerySet[Post]:
    return posts.annotate(
        status=Coalesce("review_state__status", Value(Status.OPEN.value))
    )


def ancestors(post: Post) -> list[Post]:
    """The posts this one replies to, oldest first, as far as they were imported."""
    chain: list[Post] = []
    parent_id = post.parent_id
    while parent_id is not None and len(chain) < THREAD_ANCESTORS:
        parent = Post.objects.filter(pk=parent_id, org_id=post.org_id).first()
        if parent is None:
            break
        chain.append(parent)
        parent_id = parent.parent_id
    return chain[::-1]


def replies(post: Post) -> list[Post]:
    return list(post.replies.filter(org_id=post.org_id).order_by("created_at")[:THREAD_REPLIES])


@dataclass(frozen=True, slots=True)
class AuthorHistory:
    posts: list[Post]
    total: int
    confirmed: int


def author_history(post: Post) -> AuthorHistory | None:
    if post.author_id is None:
        return None
    others = Post.objects.filter(org_id=post.org_id, author_id=post.author_id).exclude(pk=post.pk)
    # An author belongs to one organisation, and this post is one of theirs: counted by
    # author alone (less this post), PostgreSQL can count the index of authors' posts
    # without the table (once vacuum has marked its pages all-visible), where the filters
    # on organisation and post read a row for every post counted: 0.6 against 2.1 to 2.6 ms
    # for an author of 200 posts among bench_queue.py's 1,000,000, vacuumed and cached.
    by_author = Post.objects.filter(author_id=post.author_id)
    return AuthorHistory(
        posts=list(with_status(others).only("pk", "text").order_by("-created_at")[:AUTHOR_POSTS]),
        total=by_author.count() - 1,
        confirmed=others.filter(review_state__status=Status.CONFIRMED).count(),
    )


def history(post: Post) -> list[ReviewEvent]:
    return list(ReviewEvent.objects.filter(post=post).order_by("created_at", "pk"))


def flags(post: Post) -> list[Submission]:
    """Supporters' submissions of the post, newest first, each marked ``has_screenshot``;
    who sent them is not shown."""
    return list(
        Submission.objects.filter(post=post).annotate(
            has_screenshot=Exists(Screenshot.objects.filter(submission=OuterRef("pk")))
        )
    )
