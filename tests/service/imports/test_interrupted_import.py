import sqlite3

from service.interruption import check_killed_import_resumes_to_the_same_rows
from service.processes import sqlite_url


def test_an_import_killed_part_way_and_run_again_ends_with_the_rows_of_an_uninterrupted_one(
    tmp_path,
):
    killed = tmp_path / "killed.sqlite3"

    def records_committed() -> int:
        try:
            with sqlite3.connect(killed, timeout=5) as connection:
                row = connection.execute(
                    "SELECT MAX(records_committed) FROM imports_importrun"
                ).fetchone()
        except sqlite3.OperationalError:  # the database is still being created
            return 0
        return row[0] or 0

    check_killed_import_resumes_to_the_same_rows(
        tmp_path, sqlite_url(killed), sqlite_url(tmp_path / "clean.sqlite3"), records_committed
    )
