import sqlite3

import pytest

from service.interruption import check_killed_import_resumes_to_the_same_rows
from service.processes import sqlite_url


# "0": the batches ahead are judged in worker processes (imports/scan_ahead.py), which the
# kill leaves orphaned; the default keeps an input this small in the importing process.
@pytest.mark.parametrize("scan_ahead_min_bytes", ["0", "1048576"])
def test_an_import_killed_part_way_and_run_again_ends_with_the_rows_of_an_uninterrupted_one(
    tmp_path, scan_ahead_min_bytes
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
        tmp_path, sqlite_url(killed), sqlite_url(tmp_path / "clean.sqlite3"), records_committed,
        IMPORT_SCAN_AHEAD_MIN_BYTES=scan_ahead_min_bytes,
    )
