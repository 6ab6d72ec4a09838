"""An import analyses the tables it writes each time it has doubled the records it stored
(PostgreSQL only: SQLite plans these queries without statistics)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tropewatch.posts.statistics import FIRST_ANALYSE_AT, PlannerStatistics


def analyses_after(batches: list[int]) -> int:
    statistics = PlannerStatistics()
    with CaptureQueriesContext(connection) as queries:
        for records in batches:
            statistics.grew_by(records)
    return sum(query["sql"].startswith("ANALYZE") for query in queries)


def test_the_tables_are_analysed_as_the_import_doubles_them(db):
    # 500 at a time: past 1,000, then 2,000, then 4,000; not again before 8,000.
    expected = 3 if connection.vendor == "postgresql" else 0

    assert analyses_after([500] * 15) == expected


def test_a_small_import_analyses_nothing(db):
    assert analyses_after([FIRST_ANALYSE_AT - 1]) == 0


def test_posts_not_yet_counted_are_not_forgotten_by_a_large_batch(db):
    # One batch far past the first mark analyses once, and the next mark is twice it.
    statistics = PlannerStatistics()
    statistics.grew_by(10 * FIRST_ANALYSE_AT)

    assert statistics.next_at == 20 * FIRST_ANALYSE_AT
