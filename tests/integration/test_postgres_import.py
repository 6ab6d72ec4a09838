"""The import on real PostgreSQL: resumable after kill -9, idempotent, and safe on bad input."""

import pytest
from service.exports import write_pages
from service.interruption import check_killed_import_resumes_to_the_same_rows
from service.processes import command_env, snapshot_of, tropewatch

from .databases import query

pytestmark = pytest.mark.integration

IMPORT = ["--platform", "x", "--source", "#topic", "--org", "campaign", "--create-org"]


def test_an_import_killed_part_way_resumes_to_the_rows_of_an_uninterrupted_one(
    tmp_path, postgres_database
):
    killed = postgres_database()

    def records_committed() -> int:
        rows = query(killed, "SELECT MAX(records_committed) FROM imports_importrun")
        return (rows[0][0] or 0) if rows else 0

    check_killed_import_resumes_to_the_same_rows(
        tmp_path, killed, postgres_database(), records_committed
    )


def test_importing_the_same_file_again_duplicates_nothing(tmp_path, postgres_database):
    database = postgres_database()
    export = write_pages(tmp_path / "tweets.jsonl", 300, missing_id_every=50)

    first = tropewatch(["import", str(export), *IMPORT], command_env(database))
    rows = snapshot_of(database)
    second = tropewatch(["import", str(export), *IMPORT], command_env(database))

    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert "294 new, 0 updated, 0 skipped, 6 errors" in first.stderr
    assert "0 new, 0 updated, 294 skipped, 6 errors" in second.stderr
    again = snapshot_of(database)
    for table in ("authors", "posts", "detections"):
        assert again[table] == rows[table], table
    assert len(again["posts"]) == 294


def test_a_broken_file_keeps_the_posts_before_the_fault(tmp_path, postgres_database):
    database = postgres_database()
    export = write_pages(tmp_path / "tweets.jsonl", 100, page_size=10, truncate=True)

    result = tropewatch(["import", str(export), *IMPORT], command_env(database))

    assert result.returncode == 2
    assert str(export) in result.stderr and "line 10" in result.stderr
    assert query(database, "SELECT status, new_count FROM imports_importrun") == [("failed", 90)]
    assert query(database, "SELECT COUNT(*) FROM posts_post") == [(90,)]
    assert query(database, "SELECT COUNT(*) FROM posts_detection") == [(90,)]


def test_text_postgresql_cannot_store_as_given_is_stored_cleaned(tmp_path, postgres_database):
    database = postgres_database()
    export = write_pages(tmp_path / "tweets.jsonl", 3)
    # NUL and a lone surrogate: PostgreSQL refuses both in text and jsonb
    export.write_text(export.read_text().replace("#1", "#1 \\u0000 \\ud800 end"))

    result = tropewatch(["import", str(export), *IMPORT], command_env(database))

    assert result.returncode == 0, result.stderr
    (text,) = query(database, "SELECT text FROM posts_post WHERE text LIKE '%end'")[0]
    assert "\x00" not in text and text.endswith("\ufffd end")
