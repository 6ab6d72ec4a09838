"""The review queue: an organisation's flagged posts, as a query, highest priority first.

A post is in the queue when its current detection (the organisation's policy, the model in
force, judging the post's present text) says antisemitic, or when a supporter flagged it
(tropewatch.submissions): people see what models miss. The queue is a query over posts,
detections and review states, never a copy of them.

Priority is score × reach × recency, with reach dampened (a post seen by a million people is
more urgent than one seen by ten, but not 100,000 times more) and recency halving every
``REVIEW_HALF_LIFE_DAYS``:

    priority = score × (1 + reporters) × (1 + ln(1 + reach)) × 2 ** (-age_days / half_life)

where ``reporters`` counts the supporters who flagged the post, and a flagged post's score
counts as at least ``priority.PERSON_FLAG_SCORE`` (a person's flag outweighs a low model score). The
queue orders by the logarithm of that, less the same constant for every post:

    ln(score) + ln(1 + reporters) + ln(1 + ln(1 + reach)) + created_days × ln(2) / half_life

which does not depend on the time of the query, so the order is stable while one works. It is
stored, in ``Detection.priority``, and kept current where its inputs change
(``review.priority``): the queue orders by the column, through the partial index
``detection_queue_priority``, instead of computing it for every flagged row of every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from tropewatch.orgs.models import Organisation
from tropewatch.posts import search
from tropewatch.posts.models import Detection
from tropewatch.posts.scanning import current_model_version
from tropewatch.submissions.models import Submission

from .models import Claim, ReviewState
from .priority import reach, reporters
from .status import Status

PENDING = "pending"  # open or escalated: what still needs someone
STATUS_FILTERS = (PENDING, *[s.value for s in Status], "all")

# The orders the queue can be sorted in, each ending in the post id so that ties keep still.
# Priority, the default, is explained above and in the console's help.
SORTS = {
    "priority": ("Priority (score, reach and recency)", ("-priority", "-post_id")),
    "score": ("Highest score", ("-score", "-post_id")),
    "reach": ("Widest reach", ("-reach", "-post_id")),
    "newest": ("Newest", ("-post__created_at", "-post_id")),
    "oldest": ("Oldest", ("post__created_at", "post_id")),
}
DEFAULT_SORT = "priority"


@dataclass(frozen=True, slots=True)
class QueueFilters:
    status: str = Status.OPEN
    source: int | None = None
    platform: str = ""
    category: str = ""
    min_score: float | None = None
    since: date | None = None
    until: date | None = None
    search: str = ""  # words of the text, and with search_people the author's and the URL
    author: str = ""  # a handle (with or without @), display name or platform id
    # Whether the search and the author filter may look at authors and URLs: only for roles
    # that see personal data (a search must not tell the others who wrote what).
    search_people: bool = False
    sort: str = DEFAULT_SORT


def flagged(org: Organisation) -> QuerySet[Detection]:
    """The current detections of ``org`` that flag their post, or whose post a supporter
    flagged."""
    by_a_person = Exists(Submission.objects.filter(post=OuterRef("post_id")))
    # The stored priority is set exactly on the detections that flag their post and judged
    # its present text (review.priority clears it when the text changes): the partial index
    # on it finds the queue's candidates without reading the other 95%, or the posts. The
    # flags are checked too, so that a value left behind by an older verdict never queues a
    # post.
    return Detection.objects.filter(
        Q(antisemitic=True) | by_a_person,
        org=org, policy=org.policy, model_version=current_model_version(org),
        priority__isnull=False,
    )


def queue(
    org: Organisation, user: AbstractBaseUser, filters: QueueFilters = QueueFilters()
) -> QuerySet[Detection]:
    """Flagged detections matching ``filters``, without posts others have claimed, highest
    priority first. Lean on purpose (only what ordering needs): ``with_details`` loads the
    posts, sources, authors and statuses of the page that is shown."""
    claimed_by_others = Claim.objects.filter(
        post=OuterRef("post_id"), expires_at__gt=timezone.now()
    ).exclude(user=user)
    items = (
        flagged(org)
        .filter(~Exists(claimed_by_others), _status_filter(filters.status))
    )
    if filters.source is not None:
        items = items.filter(post__source_id=filters.source)
    if filters.platform:
        items = items.filter(post__platform=filters.platform)
    if filters.category:
        items = items.filter(_has_category(filters.category))
    if filters.min_score is not None:
        # Compared as an expression, which PostgreSQL has no statistics for: it estimated
        # the column's range over all detections (3% above 0.6 in the bench's seed, against
        # 66% of the flagged ones), expected a handful of rows and sorted them all instead
        # of walking the priority index (33 against 2.4 ms, 200,000 posts).
        items = items.filter(
            GreaterThanOrEqual(F("score") + Value(0.0), Value(filters.min_score)))
    if filters.since is not None:
        items = items.filter(post__created_at__date__gte=filters.since)
    if filters.until is not None:
        items = items.filter(post__created_at__date__lte=filters.until)
    if filters.search:
        items = items.filter(search.matching(filters.search, org.pk,
                                             people=filters.search_people, via="post"))
    if filters.author and filters.search_people:
        items = items.filter(_by_author(filters.author))
    return _sorted(items, filters.sort)


def _sorted(items: QuerySet[Detection], sort: str) -> QuerySet[Detection]:
    """Ordered as ``sort`` says (a key of SORTS); by priority for anything else."""
    _, order = SORTS.get(sort, SORTS[DEFAULT_SORT])
    if "-reach" in order:
        items = items.annotate(reach=reach())
    return items.order_by(*order)


def _by_author(author: str) -> Q:
    """Posts by an account with this handle (an @ in front or not), display name or platform
    id, on any platform: case does not matter."""
    handle = author.strip().lstrip("@")
    return (Q(post__author__handle__iexact=handle)
            | Q(post__author__display_name__iexact=author.strip())
            | Q(post__author__platform_id=author.strip()))


# What the queue page and the API's items show, and nothing else: the post's record as
# imported, the author's profile and the detection's spans are the largest fields, and
# every field loaded costs its parsing (six timestamps a row where the page shows one).
DETAIL_FIELDS = (
    "post_id", "antisemitic", "score", "categories", "explanation",
    "post__platform", "post__text", "post__created_at", "post__url", "post__reach",
    "post__source__name", "post__author__handle", "post__author__display_name",
)


def with_details(detection_ids: list[int]) -> list[Detection]:
    """The detections, in the order given, with their post, source, author, status and
    reporter count: only the DETAIL_FIELDS of each."""
    found = Detection.objects.filter(pk__in=detection_ids).select_related(
        "post", "post__source", "post__author"
    ).only(*DETAIL_FIELDS).annotate(
        status=Coalesce("post__review_state__status", Value(Status.OPEN.value)),
        reporters=reporters(),
    )
    by_id = {detection.pk: detection for detection in found}
    return [by_id[pk] for pk in detection_ids if pk in by_id]


def _status_filter(status: str) -> Q:
    """Anti-joins and semi-joins on the (small) review state table: a flagged post without a
    state row is open."""
    def state_in(*statuses: Status) -> Exists:
        return Exists(ReviewState.objects.filter(post=OuterRef("post_id"), status__in=statuses))

    # decided=False says no more than the anti-joins, from the detection's own row: it lets
    # PostgreSQL walk detection_queue_pending, which holds no decided item, where the anti-
    # join would step over every item decided at the top of the queue (344 against 3.6 ms
    # for a page of 200,000 posts with 5,000 of 10,000 flagged decided).
    match status:
        case "all":
            return Q()
        case "pending":
            return Q(~state_in(Status.CONFIRMED, Status.DISMISSED), decided=False)
        case Status.OPEN:
            return Q(~state_in(Status.ESCALATED, Status.CONFIRMED, Status.DISMISSED),
                     decided=False)
        case _:
            return Q(state_in(Status(status)))


def _has_category(category: str) -> Q:
    """Detections whose categories list has an entry with this id."""
    if connection.vendor == "postgresql":
        return Q(categories__contains=[{"id": category}])  # jsonb containment
    return Q(_JsonListHasId(category))


class _JsonListHasId(Func):
    """On SQLite, whether the categories list has an entry with id ``category``: SQLite has no
    JSON containment lookup, and json_each walks the stored list. An expression rather than
    raw SQL naming the table, so that nested in the one-row-per-cluster subquery it tests the
    subquery's rows, not the outer query's."""

    output_field = BooleanField()

    def __init__(self, category: str) -> None:
        super().__init__(F("categories"), Value(category))

    def as_sql(self, compiler, connection, **extra_context):
        (categories, first), (category, second) = (
            compiler.compile(expression) for expression in self.get_source_expressions())
        return (f"EXISTS (SELECT 1 FROM json_each({categories}) AS item "
                f"WHERE json_extract(item.value, '$.id') = {category})", [*first, *second])
