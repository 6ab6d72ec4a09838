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

On SQLite the index is the FTS5 table ``posts_search``, kept by triggers (migration 0004):
posts are written by imports in bulk (``bulk_create`` and ``update`` skip ``save()`` and
signals), by the API, by supporters' flags, and deleted by erasures through the database's
cascades; a trigger sees every one of those writes, so no writer can forget the index. On
PostgreSQL the text vector is computed when searching, row by row on the rows the rest of the
query keeps (the queue's flagged posts, the log's events): the author's fields are in another
table, so no single-table index could hold them.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, Value
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
        fields = ["text", "url", "author__handle", "author__display_name"] if people else ["text"]
        expression = " & ".join(f"{word}:*" for word in found)  # :* is a prefix
        return Q(_Matches(*[F(prefix + field) for field in fields], Value(expression)),
                 **{f"{prefix}org_id": org_id})
    return Q(**{f"{prefix}pk__in": _fts5_post_ids(found, org_id, people)})


def _fts5_post_ids(found: list[str], org_id: int, people: bool) -> RawSQL:
    # Each word quoted (a double quote inside is doubled, though words hold none), then a
    # prefix star: "roth"* matches rothschild. Words side by side must all match.
    expression = " ".join('"' + word.replace('"', '""') + '"*' for word in found)
    if not people:
        expression = "{text} : (" + expression + ")"  # the text column only
    return RawSQL("SELECT rowid FROM posts_search WHERE posts_search MATCH %s AND org_id = %s",
                  (expression, org_id))


class _Matches(Func):
    """PostgreSQL: the fields, as one text vector, match the tsquery (the last expression).
    The parser would keep URLs, e-mail addresses and paths whole: every character that is
    not a letter or digit is made a space first, as FTS5 and ``words`` cut text, so the same
    words match on both databases. Words hold only letters and digits: lexemes as they are."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        *fields, query = self.get_source_expressions()
        compiled = [compiler.compile(field) for field in fields]
        query_sql, query_params = compiler.compile(query)
        document = "concat_ws(' ', " + ", ".join(sql for sql, _ in compiled) + ")"
        sql = (f"to_tsvector('simple', regexp_replace({document}, '[^[:alnum:]]+', ' ', 'g')) "
               f"@@ to_tsquery('simple', {query_sql})")
        return sql, [*(param for _, params in compiled for param in params), *query_params]


def compact() -> None:
    """Rewrite the FTS5 index without the rows deleted from it. A delete only adds a marker
    to the index; the erased words stay in older index pages until they are merged, and an
    erasure must leave none behind (secure_delete then zeroes the freed pages)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO posts_search(posts_search) VALUES ('optimize')")
