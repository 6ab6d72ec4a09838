import csv
import re
import sqlite3

from django.contrib.auth.hashers import check_password

from service.processes import REPO, command_env, snapshot_of, sqlite_url, tropewatch


def _example_posts(name: str = "posts.csv") -> int:
    with open(REPO / "examples" / name, encoding="utf-8", newline="") as file:
        return sum(1 for _ in csv.DictReader(file))


def test_demo_sets_up_once_and_running_it_again_duplicates_nothing(tmp_path):
    database = tmp_path / "demo.sqlite3"
    env = command_env(sqlite_url(database))

    first = tropewatch(["demo"], env)

    assert first.returncode == 0, first.stderr
    login = re.search(r"user admin, password (\S+)", first.stdout)
    assert login, first.stdout
    with sqlite3.connect(database) as connection:
        (encoded,) = connection.execute(
            "SELECT password FROM auth_user WHERE username = 'admin' AND is_superuser"
        ).fetchone()
    assert check_password(login.group(1), encoded)
    rows = snapshot_of(sqlite_url(database))
    history = re.search(r"'Example group \(invented history\)': (\d+) invented posts, "
                        r"(\d+) flagged ones decided", first.stderr)
    assert history, first.stderr
    invented, decided = int(history.group(1)), int(history.group(2))
    assert invented > 3000 and decided > 20
    assert len(rows["posts"]) == (_example_posts() + _example_posts("x-replies.csv")
                                  + invented)
    assert len(rows["detections"]) == len(rows["posts"])
    assert "confirmed example post" in first.stderr
    verified = tropewatch(["verify", "--org", "demo"], env)
    assert verified.returncode == 0, verified.stderr
    # The example's confirmation, its evidence and the opening of the case about its author;
    # then each decision on the invented group's posts, and the evidence of each confirmed.
    with sqlite3.connect(database) as connection:
        (history_confirmed,) = connection.execute(
            "SELECT COUNT(*) FROM review_reviewstate WHERE status = 'confirmed'").fetchone()
    history_confirmed -= 1
    assert f"demo: intact, {3 + decided + history_confirmed} links" in verified.stderr
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT state FROM cases_case").fetchall() == [("open",)]
        assert connection.execute(
            "SELECT r.status, p.platform FROM reports_platformreport r "
            "JOIN posts_post p ON p.id = r.post_id").fetchall() == [("drafted", "x")]
        # The dashboard has something to show: every post rolled up, the confirmed one too.
        rolled = "SELECT * FROM impact_dailyrollup ORDER BY day, source_id, platform, category"
        posts, confirmed = connection.execute(
            "SELECT SUM(posts), SUM(confirmed) FROM impact_dailyrollup WHERE category = ''"
        ).fetchone()
        assert (posts, confirmed) == (len(rows["posts"]), 1 + history_confirmed)
        before = [row[1:] for row in connection.execute(rolled)]  # all but the row id
    rolled_up = tropewatch(["rollup", "--org", "demo", "--since", "2000-01-01"], env)
    assert rolled_up.returncode == 0, rolled_up.stderr
    assert f"{len(rows['posts'])} posts" in rolled_up.stderr
    with sqlite3.connect(database) as connection:
        assert [row[1:] for row in connection.execute(rolled)] == before  # idempotent

    second = tropewatch(["demo"], env)

    assert second.returncode == 0, second.stderr
    assert "password" not in second.stdout
    assert "admin user 'admin' exists already" in second.stderr
    assert "confirmed example post" not in second.stderr
    assert "invented posts" not in second.stderr
    assert "before and after its invented campaign" in second.stderr
    assert f"0 new, 0 updated, {_example_posts()} skipped" in second.stderr
    again = snapshot_of(sqlite_url(database))
    for table in ("organisations", "sources", "authors", "posts", "detections"):
        assert again[table] == rows[table], table
