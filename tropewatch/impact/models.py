"""Daily roll-ups of an organisation's posts, and the days waiting to be rolled up again.

A roll-up is a cache: every row can be rebuilt from the posts, detections and review states
(``rollups.rebuild_day``), and is, whenever something marks its day stale. The dashboard reads
these rows so that it answers in the same time for a thousand posts or a million.
"""

from __future__ import annotations

from django.db import models

from tropewatch.posts.models import PLATFORM_CHOICES, OrgScoped, Source

# The category of a day's totals row; other rows hold one trope category each.
ALL_CATEGORIES = ""


class DailyRollup(OrgScoped):
    """Counts of the posts written on one day (UTC) in one source, on one platform.

    The row with ``category == ""`` holds every post of the day; a row with a category counts
    the flagged, confirmed and dismissed posts carrying that category (a post with two
    categories counts in both), and its ``posts`` is 0: rates per category are taken over the
    day's totals row.
    """

    day = models.DateField()
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="+",
                               db_index=False)
    platform = models.CharField(max_length=20, choices=PLATFORM_CHOICES)
    category = models.CharField(max_length=60, blank=True)
    posts = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(default=0)  # by the detector's newest verdict
    confirmed = models.PositiveIntegerField(default=0)  # review status now
    dismissed = models.PositiveIntegerField(default=0)
    # {model version: posts whose newest verdict it gave}, on the totals row: a day judged by
    # another model than the day before is a break in the series (a rescan shows here).
    model_versions = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "day", "source", "platform", "category"],
                                    name="rollup_one_per_day_and_group")
        ]
        indexes = [
            # Every dashboard query: one organisation, a range of days, one kind of row.
            models.Index(fields=["org", "category", "day"], name="rollup_by_category_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.source_id} {self.platform} {self.category or 'all'}"


class StaleDay(OrgScoped):
    """A day whose roll-up no longer matches the raw rows: posts stored, scanned, decided or
    erased. Rolled up again (and the mark removed) by ``rollups.refresh``."""

    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "day"], name="stale_day_once")
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.day} stale"
