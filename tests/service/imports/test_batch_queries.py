"""A batch's queries find its posts by key and by index, never by walking every post or
detection the organisation has: an import of a million posts runs the same queries two
thousand times, and one walk per batch made it quadratic (SQLite's own query plans)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from service.exports import write_pages
from tropewatch.imports.scan_ahead import ScanAhead
from tropewatch.imports.services import run_import
from tropewatch.ingest import parse_file
from tropewatch.posts.storing import store_records

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="reads SQLite's EXPLAIN QUERY PLAN"
)

# A plan step that reads a table whole, or every row of one organisation (or of its policy).
WALK = re.compile(
    r"SCAN (posts_post|posts_detection|posts_author)\b"
    r"|(posts_post|posts_detection|posts_author) USING (COVERING )?INDEX \w+ "
    r"\((org_id=\?|org_id=\? AND policy=\?)\)"
)


def plans(queries) -> list[tuple[str, str]]:
    """(statement, plan step) for each SELECT and UPDATE captured."""
    steps = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if sql.startswith(("SELECT", "UPDATE")):
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                steps += [(sql[:80], row[3]) for row in cursor.fetchall()]
    return steps


def test_storing_a_batch_into_a_grown_organisation_walks_no_table(org, source, tmp_path):
    run_import(org, source, write_pages(tmp_path / "first.jsonl", 300), "x", batch_size=100)
    # Replies to stored posts, and posts that stored replies are waiting for.
    batch = list(parse_file(write_pages(tmp_path / "next.jsonl", 360), "x"))[300:]

    with CaptureQueriesContext(connection) as queries:
        store_records(org, source, batch, org.policy)
        list(ScanAhead(org, None, 0)._unjudged(batch))

    steps = plans(queries)
    assert any("post_waiting_parent" in step for _, step in steps)  # the parent link ran
    walks = [(sql, step) for sql, step in steps if WALK.search(step)]
    assert walks == []
