"""After an erasure, none of the author's words are left in the SQLite file or its write-ahead
log: not in a table, and not in the free pages and old page images that a delete leaves behind.

The erasure runs in a process that stays up afterwards, as a worker applying the retention
policy or a web server does: a command that exits checkpoints the log on its way out anyway,
a long-running process does not."""

from __future__ import annotations

import json
import subprocess
import sys

from service.processes import REPO, command_env, sqlite_url, tropewatch

# Words only the erased author wrote, and their handle; "zebra" is in nothing else.
WORDS = [b"Zebrastripe", b"zebra_leaver", b"Zebra Leaver"]
POSTS = (
    "id,text,created_at,author,author_name,url\n"
    + "".join(
        f'{n},"Zebrastripe bankers run the media, post {n} of many",2026-11-0{n}T10:00:00Z,'
        f"zebra_leaver,Zebra Leaver,https://x.com/zebra_leaver/status/{n}\n"
        for n in range(1, 8))
    + "9,The council meets on housing next week,2026-11-08T10:00:00Z,staying,Staying,"
    "https://x.com/staying/status/9\n"
)
# Erase, then, still running, report which of the database's files hold which words.
ERASE_AND_LOOK = """
import json, pathlib, sys
import django
django.setup()
from django.conf import settings
from tropewatch.people.erasure import erase_author
from tropewatch.posts.models import Author, Post

erased = erase_author(Author.objects.get(handle="zebra_leaver"))
database = pathlib.Path(settings.DATABASES["default"]["NAME"])
words = [w.encode() for w in sys.argv[1:]]
found = {path.name: [w.decode() for w in words if w.lower() in path.read_bytes().lower()]
         for path in database.parent.glob(database.name + "*")}
print(json.dumps({"posts": erased.posts, "left": Post.objects.count(), "found": found}))
"""


def test_an_erased_author_leaves_no_bytes_in_the_file_or_its_log(tmp_path):
    database = tmp_path / "erase.sqlite3"
    export = tmp_path / "posts.csv"
    export.write_text(POSTS, encoding="utf-8")
    env = command_env(sqlite_url(database), DJANGO_SETTINGS_MODULE="tropewatch.web.settings")
    imported = tropewatch(["import", str(export), "--platform", "csv", "--source", "group",
                           "--org", "erasing", "--create-org"], env)
    assert imported.returncode == 0, imported.stderr
    # The words are on disk before, so the search below can find them.
    assert b"Zebrastripe" in database.read_bytes()

    run = subprocess.run([sys.executable, "-c", ERASE_AND_LOOK, *(w.decode() for w in WORDS)],
                         env=env, cwd=REPO, capture_output=True, text=True, timeout=120)

    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert (result["posts"], result["left"]) == (7, 1)
    assert database.name in result["found"]
    assert {name: words for name, words in result["found"].items() if words} == {}
