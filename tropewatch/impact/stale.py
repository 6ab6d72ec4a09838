"""Marking days whose roll-up the raw rows have moved away from.

Called by everything that changes what a roll-up counts, in the transaction that changes it:
storing posts, scanning them, a decision that changes a status, and erasure. Kept apart from
``rollups`` so that those low-level modules import only the models.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date

from django.db.models.functions import TruncDate

from tropewatch.posts.models import Post

from .models import StaleDay


def mark_days(org_id: int, days: Iterable[date]) -> None:
    StaleDay.objects.bulk_create([StaleDay(org_id=org_id, day=day) for day in set(days)],
                                 ignore_conflicts=True)


def mark_posts(org_id: int, post_ids: Iterable[int]) -> None:
    """Mark the days these posts were written on; call before erasing them."""
    mark_days(org_id, Post.objects.filter(pk__plain_in=list(post_ids))
              .annotate(day=TruncDate("created_at", tzinfo=UTC))
              .values_list("day", flat=True).distinct())
