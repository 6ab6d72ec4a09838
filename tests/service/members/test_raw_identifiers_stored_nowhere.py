"""After `tropewatch members import` (a real process, SQLite in WAL mode), no identifier from
the list is in the database file, its write-ahead log or shared memory, or the output, in the
form it was written or in any normal form. The identifiers all hold "zebra" or a number no
digest contains, so one search per form finds them however they were changed."""

from __future__ import annotations

import sqlite3

from service.members.conftest import TEST_KEY
from service.processes import command_env, create_organisation, sqlite_url, tropewatch

LIST = (
    "email,phone,x,bluesky,mastodon,facebook,name,postcode\n"
    "Quentin.Zebranova@Example.org,07700 900461,@Quentin_Zebra7,qzebra.bsky.social,"
    "@qzebra@mastodon.social,quentin.zebranova,Quentin Zebranova,SW1A 2AA\n"
    "zoe.zebrafield@example.org,+44 7700 900462,zebrafield,,,,Zoë Zebrafield,M1 1AE\n"
    # read only in part: the error must not quote the bad phone number either
    "zebra.wrong@example.org,call zebra-phone 555,,,,,,\n"
)
# What the list says, and its normal forms (phone numbers in E.164 and in digits).
NEEDLES = [b"zebra", b"7700900461", b"7700900462", b"7700 900461", b"SW1A2AA", b"SW1A 2AA",
           b"M11AE"]


def test_the_raw_list_is_in_no_database_file_and_no_output(tmp_path):
    database = tmp_path / "members.sqlite3"
    env = command_env(sqlite_url(database), TROPEWATCH_MEMBERS_KEY=TEST_KEY)
    first = tmp_path / "first.csv"
    first.write_text("x\n@someone_else\n", encoding="utf-8")
    members = tmp_path / "members.csv"
    members.write_text(LIST, encoding="utf-8")
    create_organisation("campaign", env)  # creates the database
    runs = [tropewatch(["members", "import", str(first)], env)]
    # A reader holding the database open keeps the write-ahead log from being removed when
    # the importer exits, as a web server would.
    reader = sqlite3.connect(database)
    try:
        assert reader.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        runs.append(tropewatch(["members", "import", str(members)], env))
        runs.append(tropewatch(["members", "import", str(members)], env))  # and replaced
        stored = {path.name: path.read_bytes() for path in tmp_path.glob("members.sqlite3*")}
        digests = reader.execute("SELECT COUNT(*) FROM members_memberkey").fetchone()[0]
    finally:
        reader.close()

    assert [run.returncode for run in runs] == [0, 0, 0], runs[-1].stderr
    assert "line 4: column 'phone': not a possible phone number" in runs[-1].stderr
    assert digests == 12
    assert set(stored) == {"members.sqlite3", "members.sqlite3-wal", "members.sqlite3-shm"}
    assert len(stored["members.sqlite3-wal"]) > 0
    output = "".join(run.stdout + run.stderr for run in runs).encode("utf-8")
    for where, data in [*stored.items(), ("the output", output)]:
        found = [needle for needle in NEEDLES if needle.lower() in data.lower()]
        assert not found, f"{where} holds {found}"
