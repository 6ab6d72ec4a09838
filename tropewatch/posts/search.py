"""Full-text search over posts: their text, URL, and author's handle and name.

One interface, ``matching(query, ...)``, a filter on posts or on any model with a post: the
database's own full-text search does the work, SQLite's FTS5 or PostgreSQL's text search,
chosen by the connection's vendor.

What someone types is hostile input and never reaches either query language as written: it is
cut into words (runs of letters and digits, as both databases' tokenisers cut text), and each
word is written back quoted (FTS5) or as a bare lexeme (PostgreSQL), so no operator, quote,
bracket or column filter in it can change the query or make it fail. Every word must match,
as a word or the start of one ("roth" finds "Rothschild", "@alice" finds the handle alice).
Authors' handles and names, and URLs (which hold handles), are personal data: they are
searched only for roles that see personal data (``people=True``); for the others, only the
text is, so a search cannot tell them who wrote what.

The index is the table ``posts_search`` (migrations 0005 and 0009): an FTS5 table on SQLite;
on PostgreSQL two text vectors a post, of its text and of its URL, handle and name, each with
a GIN index; kept by triggers. Triggers, not the code that writes
posts: posts are written in bulk by imports (``bulk_create`` and ``update`` skip ``save()``
and signals), by the API and by supporters' flags, and deleted by erasures through the
database's cascades; a trigger sees every one of those writes, so no writer can forget it.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

# Longer queries are cut: a search box is for a few words, not a document.
MAX_WORDS = 12
MAX_QUERY_LENGTH = 200
_WORD = re.compile(r"[^\W_]+")
def words(query: str) -> list[str]:
    """The words of ``query``, lower-cased, as the tokenisers see them."""
    return _WORD.findall(query[:MAX_QUERY_LENGTH].lower())[:MAX_WORDS]


def matching(query: str, org_id: int, *, people: bool, via: str = "") -> Q:
    """Rows whose post matches every word of ``query`` in its text, or with ``people`` also
    in its URL and its author's handle and name; no filter at all when the query has no
    words; only posts of organisation ``org_id``. ``via`` is the path from the rows to their
    post: "" on posts, "post" on detections and review events."""
    found = words(query)
    if not found:
        return Q()
    prefix = f"{via}__" if via else ""
    if connection.vendor == "postgresql":
        post_ids = _postgresql_post_ids(found, org_id, people)
    else:
        post_ids = _fts5_post_ids(found, org_id, people)
    return Q(**{f"{prefix}pk__in": post_ids})


def _fts5_post_ids(found: list[str], org_id: int, people: bool) -> RawSQL:
    # Each word quoted (a double quote inside is doubled, though words hold none), then a
    # prefix star: "roth"* matches rothschild. Words side by side must all match.
    expression = " ".join('"' + word.replace('"', '""') + '"*' for word in found)
    if not people:
        expression = "{text} : (" + expression + ")"  # the text column only
    return RawSQL("SELECT rowid FROM posts_search WHERE posts_search MATCH %s AND org_id = %s",
                  (expression, org_id))


def _postgresql_post_ids(found: list[str], org_id: int, people: bool) -> RawSQL:
    # Words hold only letters and digits: lexemes as they stand. :* matches a prefix. With
    # people, each word may be in the text or in the URL, handle and name (about_vector), so
    # each index holds a post's words once: two GIN lookups a word, ORed, then ANDed.
    if not people:
        return RawSQL("SELECT post_id FROM posts_search WHERE org_id = %s AND text_vector @@ "
                      "to_tsquery('simple', %s)",
                      (org_id, " & ".join(f"{word}:*" for word in found)))
    either = ("(text_vector @@ to_tsquery('simple', %s) "
              "OR about_vector @@ to_tsquery('simple', %s))")
    params = [org_id, *(f"{word}:*" for word in found for _ in range(2))]
    return RawSQL("SELECT post_id FROM posts_search WHERE org_id = %s AND "
                  + " AND ".join([either] * len(found)), params)


def compact() -> None:
    """Rewrite the FTS5 index without the rows deleted from it. A delete only adds a marker
    to the index; the erased words stay in older index pages until they are merged, and an
    erasure must leave none behind (secure_delete then zeroes the freed pages)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO posts_search(posts_search) VALUES ('optimize')")
