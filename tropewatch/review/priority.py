"""The review queue's priority, stored: ``Detection.priority``, and keeping it current.

The queue orders by the logarithm of

    priority = score × (1 + reporters) × (1 + ln(1 + reach)) × 2 ** (-age_days / half_life)

less a constant that is the same for every post (see ``review.queue``), that is by

    ln(score) + ln(1 + reporters) + ln(1 + ln(1 + reach)) + created_days × ln(2) / half_life

Computed at query time, that cost a reporters subquery and three JSON lookups on every
flagged row of every page. It is stored instead, and the queue reads the column through the
partial index ``detection_queue_priority``. The key does not depend on the time of the
query, so a stored value orders exactly as the computed one did however long ago it was
written: age decay needs no refresh. Its inputs do, and each is refreshed where it changes:

- the score: ``posts.scanning.scan_posts`` (every import, flag and rescan goes through it);
- reach and the post's time: ``posts.storing.store_records`` (a post imported again);
- the reporters: ``submissions.services.submit``;
- the half-life: ``REVIEW_HALF_LIFE_DAYS`` is read when a value is written, so after changing
  it run ``python manage.py refresh_priority`` (which also repairs any value a write outside
  these functions left behind, e.g. a raw SQL edit or a reporter's account deleted).

A detection that does not flag its post (not antisemitic, and no supporter flagged the
post) stores NULL: it is never in the queue, and the partial index holds only the queue's
candidates (about 5% of detections in the benchmark's million-post target).

So does a detection of text the post no longer has: it is superseded. Every write point
refreshes all the detections of the posts it touches, so when ``store_records`` stores a
post's new text, its older detections (other model versions and policies, whose verdicts are
on the old text) lose their priority in the same transaction, and the queue need not compare
each candidate's hash with its post's (a join that read the whole posts table: 416 of a
page's 690 ms at 1,000,000 posts, see docs/performance.md).

``Detection.decided`` copies whether the post is confirmed or dismissed, so that the open and
pending queue walk the partial index ``detection_queue_pending`` of undecided candidates:
moderators decide from the top, and an index of every candidate puts all they decided in
front of what is left. ``refresh_posts`` writes it with the priority (a scan's new
detection of a decided post is decided), and ``decisions.record``, the only writer of review
states, through ``refresh_decided``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Greatest, Ln

from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import Detection, Post
from tropewatch.submissions.models import Submission

from .models import ReviewState
from .status import Status

# Post.reach keys that count as people reached. Views are left out: few platforms give them.
REACH_KEYS = ("likes", "shares", "replies")
# A floor for ln(score): a flagged post's score is positive, but never trust a float.
_MIN_SCORE = 1e-6
# The least score a post flagged by a supporter counts with, however low the model put it.
PERSON_FLAG_SCORE = 0.5
# Detections per UPDATE: short statements, and IN lists well inside SQLite's limit.
BATCH_SIZE = 2000


class EpochDays(Func):
    """Days since 1970-01-01 of a datetime, as a float; each database spells it its own way."""

    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection,
                           template="(julianday(%(expressions)s) - 2440587.5)", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection,
                           template="(EXTRACT(EPOCH FROM %(expressions)s) / 86400.0)",
                           **extra_context)


def reach() -> Coalesce:
    """People reached, from the post's ``reach`` JSON; 0 where the platform gave nothing."""
    total = Value(0.0)
    for key in REACH_KEYS:
        count = Cast(KeyTextTransform(key, "post__reach"), FloatField())
        total = total + Coalesce(count, Value(0.0))
    return total


def reporters(submissions: type[models.Model] = Submission) -> Coalesce:
    """Distinct supporters who flagged the detection's post (0 for a post only imported).
    ``submissions`` is the Submission model (a migration passes its historical one)."""
    count = (
        submissions.objects.filter(post=OuterRef("post_id")).order_by().values("post")
        .annotate(n=Count("reporter", distinct=True)).values("n")
    )
    return Coalesce(Subquery(count, output_field=IntegerField()), Value(0))


def priority_key() -> Func:
    """The queue's order, as above. Needs the ``reporters`` annotation."""
    half_life = settings.REVIEW_HALF_LIFE_DAYS
    floor = Case(When(reporters__gt=0, then=Value(PERSON_FLAG_SCORE)),
                 default=Value(_MIN_SCORE), output_field=FloatField())
    return (
        Ln(Greatest(F("score"), floor))
        + Ln(Value(1.0) + Cast(F("reporters"), FloatField()))
        + Ln(Value(1.0) + Ln(Value(1.0) + reach()))
        + EpochDays("post__created_at") * Value(math.log(2) / half_life)
    )


def refresh_posts(posts: Iterable[Post | int]) -> int:
    """Recompute the priority and ``decided`` of every detection of ``posts`` (posts or their
    ids); returns the number of detections written."""
    ids = sorted({post if isinstance(post, int) else post.pk for post in posts})
    written = 0
    for start in range(0, len(ids), BATCH_SIZE):
        batch = Detection.objects.filter(post_id__plain_in=ids[start:start + BATCH_SIZE])
        written += _refresh(batch)
        _refresh_decided(batch)
    return written


def refresh_decided(post_ids: Iterable[int]) -> int:
    """Copy the review status of ``post_ids`` to their detections' ``decided``: after a
    decision (``review.decisions.record``, the only writer of review states). Returns the
    number of detections written."""
    return _refresh_decided(Detection.objects.filter(post_id__in=list(post_ids)))


def fill_decided(detections: QuerySet | None = None,
                 review_states: type[models.Model] = ReviewState) -> None:
    """``decided`` of ``detections`` (default: all) from their posts' review states. A
    migration passes its historical models."""
    for batch in _batches(detections):
        _refresh_decided(batch, review_states)


def refresh_org(org: Organisation) -> int:
    """Recompute the priority and ``decided`` of every detection of ``org``."""
    fill_decided(Detection.objects.filter(org=org))
    return fill(Detection.objects.filter(org=org))


def fill(detections: QuerySet | None = None, submissions: type[models.Model] = Submission) -> int:
    """Recompute the priority of ``detections`` (default: all), in batches of ids. A migration
    passes querysets and the Submission model of its historical state."""
    return sum(_refresh(batch, submissions) for batch in _batches(detections))


def _batches(detections: QuerySet | None) -> Iterator[QuerySet]:
    """``detections`` (default: all) as querysets of at most BATCH_SIZE ids, in id order."""
    if detections is None:
        detections = Detection.objects.all()
    last = 0
    while True:
        ids = list(detections.filter(pk__gt=last).order_by("pk")
                   .values_list("pk", flat=True)[:BATCH_SIZE])
        if not ids:
            return
        last = ids[-1]
        yield detections.model.objects.filter(pk__in=ids)


def _refresh(detections: QuerySet, submissions: type[models.Model] = Submission) -> int:
    """One UPDATE: each detection's key where it flags its post and judged the post's
    present text, NULL where not (the subquery finds no row). A detection without a key that
    could not get one is not written: most posts of an import are cleared, and rewriting
    their rows to NULL again gave PostgreSQL a new version of each, and of its index
    entries, at every import batch and every refresh."""
    by_a_person = Exists(submissions.objects.filter(post=OuterRef("post_id")))
    key = (
        detections.model.objects.filter(pk=OuterRef("pk"))
        .filter(Q(antisemitic=True) | by_a_person, content_sha256=F("post__content_sha256"))
        .annotate(reporters=reporters(submissions))
        .annotate(key=priority_key())
        .values("key")
    )
    may_change = Q(priority__isnull=False) | Q(antisemitic=True) | by_a_person
    return detections.filter(may_change).update(
        priority=Subquery(key, output_field=FloatField()))


def _refresh_decided(detections: QuerySet,
                     review_states: type[models.Model] = ReviewState) -> int:
    """One UPDATE: whether each detection's post is confirmed or dismissed, written only
    where that changed (as above)."""
    decided = Exists(review_states.objects.filter(
        post=OuterRef("post_id"), status__in=[Status.CONFIRMED, Status.DISMISSED]))
    changed = (Q(decided=False) & decided) | (Q(decided=True) & ~decided)
    return detections.filter(changed).update(decided=decided)
