"""A "post" far longer than any platform allows, imported by the real command in its own
process: it is skipped with an error naming its line, every other post in the file is stored,
and the whole import stays within bounded memory."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from service.processes import CLI, COMMAND_TIMEOUT_S, REPO, command_env, sqlite_url

BIG_POST_CHARS = 50 * 1024 * 1024
PEAK_RSS_LIMIT_MIB = 500  # the whole import: interpreter, models, Django and the file


def write_posts(path: Path, fmt: str) -> Path:
    stretch = "The Rothschilds own the banks, said the post. "
    big = (stretch * (BIG_POST_CHARS // len(stretch) + 1))[:BIG_POST_CHARS]
    rows = [{"id": "before", "text": "an ordinary post", "created_at": "2024-01-01"},
            {"id": "big", "text": big, "created_at": "2024-01-02"},
            {"id": "after", "text": "another ordinary post", "created_at": "2024-01-03"}]
    with path.open("w", newline="", encoding="utf-8") as out:
        if fmt == "jsonl":
            out.writelines(json.dumps(row) + "\n" for row in rows)
        else:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return path


# Starts a command and prints its peak RSS in KiB. ru_maxrss also counts the memory of the
# process a command was started from, as it stood at the fork (here pytest's, which holds a
# loaded detector after other tests), so the import is started from this small launcher.
LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(usage.ru_maxrss)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def import_measured(export: Path, fmt: str, database: Path) -> tuple[int, str, float]:
    """(exit code, stderr, peak RSS in MiB) of ``tropewatch import`` in a fresh process."""
    args = ["import", str(export), "--platform", fmt, "--source", "s", "--org", "big",
            "--create-org"]
    result = subprocess.run([sys.executable, "-c", LAUNCHER, *CLI, *args],
                            env=command_env(sqlite_url(database)), cwd=REPO,
                            capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S)
    return result.returncode, result.stderr, int(result.stdout) / 1024  # KiB on Linux


@pytest.mark.parametrize(("fmt", "line"), [("jsonl", 2), ("csv", 3)])
def test_a_50_mb_post_is_skipped_naming_its_line_and_the_import_stays_small(
    tmp_path: Path, fmt: str, line: int
) -> None:
    export = write_posts(tmp_path / f"posts.{fmt}", fmt)
    database = tmp_path / "db.sqlite3"

    code, stderr, peak_mib = import_measured(export, fmt, database)

    assert code == 0, stderr
    assert f"{export}, line {line}, record 2: " in stderr
    assert f"line {line} is longer than 16,777,216 characters" in stderr
    with sqlite3.connect(database) as db:
        stored = sorted(row[0] for row in db.execute("SELECT platform_id FROM posts_post"))
    assert stored == ["after", "before"]
    assert peak_mib <= PEAK_RSS_LIMIT_MIB
