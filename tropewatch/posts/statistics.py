"""Keeping PostgreSQL's planner statistics in step with an import that grows the tables.

PostgreSQL plans each query from statistics that autovacuum refreshes about once a minute,
after a tenth of a table has changed. An import into a new or small database outgrows them
within seconds, and the planner, believing the posts table nearly empty, chose an index on
(org, platform) for the lookup of a reply's parent instead of the unique one that includes
the post's id: linking 40,000 posts' replies took 42 s of an 82 s import. Analysing the
tables the import writes each time they have doubled costs a few tenths of a second, a
handful of times per import, and keeps the plans right. SQLite's planner needs no statistics
for these queries, and gets none.

The doubling counts the import's own records, not the table's rows: analysing only once the
table itself had doubled saved five analyses of about a second each on a 20,000-post import
into a database of 300,000 posts, and made that import take 177 and 180 s against 20 and
23 s (two pairs, 2026-12-07). The analyses pay for a new import even in a large table.
"""

from __future__ import annotations

from django.db import connection

from tropewatch.clusters.models import Cluster, ClusterBand, ClusterMember

from .models import Author, Detection, Post

# The tables an import writes and then queries by key in the next batch.
_GROWING = (Post, Author, Detection, Cluster, ClusterBand, ClusterMember)
# Too few rows for any plan to go far wrong.
FIRST_ANALYSE_AT = 1000


class PlannerStatistics:
    """Counts the records an import stores, and analyses the tables it writes each time the
    count doubles (PostgreSQL only)."""

    def __init__(self) -> None:
        self.stored = 0
        self.next_at = FIRST_ANALYSE_AT

    def grew_by(self, records: int) -> None:
        self.stored += records
        if self.stored < self.next_at:
            return
        self.next_at = 2 * self.stored
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in _GROWING)
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {tables}")
