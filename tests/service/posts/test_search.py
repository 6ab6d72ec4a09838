"""Full-text search over posts (tropewatch/posts/search.py), on whichever database the tests run
on: SQLite's FTS5 by default, PostgreSQL's text search with DATABASE_URL set."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import connection

from tropewatch.orgs.models import Organisation
from tropewatch.posts import search
from tropewatch.posts.models import Author, Post, Source

# What people paste into a search box, by mistake or to break it: FTS5 and tsquery syntax,
# SQL, quotes, control characters, a very long word.
HOSTILE = [
    '"', '""', "'", "*", "-", "^", ":", "(", ")", "((", "NEAR(", "NEAR(a b, 2)", "a OR",
    "AND", "NOT", "OR b", "text:x", "{text url}:x", "x AND (", "'; DROP TABLE posts_post; --",
    "\\", "%", "_", "&", "|", "!", "<->", "a:*", "\x00", "\u202e", "\u200b", "@@", "a" * 5000,
    "Rothschild\"* OR", "😀", "𝕽𝖔𝖙𝖍", "\t\n",
]


def _found(org, query: str, people: bool = True) -> set[int]:
    found = Post.objects.filter(search.matching(query, org.pk, people=people))
    return set(found.values_list("pk", flat=True))


@pytest.fixture
def author(org):
    return Author.objects.create(org=org, platform="x", platform_id="u1", handle="alice_w",
                                 display_name="Alice Wonder")


def test_finds_posts_by_their_words_whole_or_begun(org, make_post):
    banks = make_post("The Rothschilds control the banks")
    weather = make_post("Lovely weather for a walk")

    assert _found(org, "rothschilds") == {banks.pk}
    assert _found(org, "ROTH") == {banks.pk}  # case and prefixes
    assert _found(org, "banks control") == {banks.pk}  # every word, in any order
    assert _found(org, "banks walk") == set()
    assert _found(org, "weather") == {weather.pk}


def test_finds_posts_by_author_handle_name_and_url(org, make_post, author):
    by_alice = make_post("an ordinary post", author=author)
    linked = make_post("another", url="https://x.com/bob/status/123456")

    assert _found(org, "@alice_w") == {by_alice.pk}
    assert _found(org, "wonder") == {by_alice.pk}
    assert _found(org, "x.com/bob/status/123456") == {linked.pk}
    assert _found(org, "123456") == {linked.pk}


def test_without_personal_data_only_the_text_is_searched(org, make_post, author):
    by_alice = make_post("words about alice in wonderland", author=author)
    make_post("an ordinary post", author=author, url="https://x.com/alice_w/status/1")

    assert _found(org, "alice", people=False) == {by_alice.pk}
    assert _found(org, "wonder alice", people=False) == {by_alice.pk}
    assert _found(org, "status", people=False) == set()  # in the URL alone
    assert _found(org, "ordinary alice", people=False) == set()


def test_follows_edits_renames_and_deletions(org, make_post, author):
    post = make_post("first words", author=author)

    Post.objects.filter(pk=post.pk).update(text="second words")  # as bulk updates write
    author.handle, author.display_name = "renamed", "New Name"
    author.save()

    assert _found(org, "first") == set()
    assert _found(org, "second") == {post.pk}
    assert _found(org, "renamed") == {post.pk} and _found(org, "alice") == set()
    post.delete()
    assert _found(org, "second") == set()


def test_posts_written_many_to_a_statement_are_found_and_kept(org, source, author):
    # Imports write posts hundreds to an INSERT ... ON CONFLICT statement: PostgreSQL indexes
    # the inserted ones once a statement, and re-indexes an updated one only if it changed.
    def post(number: int, text: str) -> Post:
        return Post(org=org, source=source, author=author, platform="x",
                    platform_id=f"many{number}", text=text, url=f"https://x.com/s/{number}",
                    created_at=datetime.now(UTC), content_sha256="0" * 64)

    def write(posts: list[Post]) -> None:
        Post.objects.bulk_create(posts, update_conflicts=True,
                                 unique_fields=["org", "platform", "platform_id"],
                                 update_fields=["text", "url"])

    write([post(n, f"word{n} shared") for n in range(5)])
    ids = {p.platform_id: p.pk for p in Post.objects.filter(org=org)}

    assert _found(org, "shared") == set(ids.values())
    assert _found(org, "word3", people=False) == {ids["many3"]}
    assert _found(org, "alice word2") == {ids["many2"]}  # the author's handle with the text
    assert _found(org, "alice", people=False) == set()
    write([post(1, "word1 shared"), post(2, "rewritten"), post(5, "word5 new")])
    assert _found(org, "shared") == {ids[f"many{n}"] for n in (0, 1, 3, 4)}
    assert _found(org, "rewritten com") == {ids["many2"]}
    assert len(_found(org, "word5 new alice")) == 1


def test_posts_of_another_organisation_are_not_found(org, make_post):
    other = Organisation.objects.create(name="Other", slug="other")
    source = Source.objects.create(org=other, platform="x", name="theirs")
    Post.objects.create(org=other, source=source, platform="x", platform_id="o1",
                        text="Rothschild elsewhere", created_at="2026-01-01T00:00:00Z",
                        content_sha256="0" * 64)
    ours = make_post("Rothschild here")

    assert _found(org, "rothschild") == {ours.pk}


def test_accents_do_not_matter_on_sqlite(org, make_post):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's simple configuration keeps accents")
    post = make_post("Über die Banken")

    assert _found(org, "uber") == {post.pk}


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_fail(org, make_post, query):
    post = make_post('a "quoted" post: OR AND NOT NEAR(text) with a colon')

    found = _found(org, query)  # raises on a syntax error

    assert found <= {post.pk} and _found(org, query, people=False) <= {post.pk}


def test_a_query_without_words_filters_nothing(org, make_post):
    post = make_post("anything")

    assert _found(org, "  ** ()  ") == {post.pk}
    assert search.words("") == []


def test_compacting_leaves_no_deleted_words_in_the_index(org, make_post):
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 index is SQLite's")
    for n in range(50):
        make_post(f"ordinary words number {n}")
    erased = make_post("Quokkastripe bankers")
    erased.delete()

    search.compact()

    with connection.cursor() as cursor:
        cursor.execute("SELECT block FROM posts_search_data")
        blocks = b"".join(bytes(row[0]) for row in cursor.fetchall() if row[0])
    assert b"quokkastripe" not in blocks.lower()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's index only")
@pytest.mark.django_db(transaction=True)
def test_upgrading_keeps_every_post_findable_by_its_author(org, make_post, author,
                                                            restores_schema):
    post = make_post("first words", author=author, url="https://x.com/alice_w/status/9")
    call_command("migrate", "posts", "0008", verbosity=0)  # two vectors of the text
    with connection.cursor() as cursor:
        cursor.execute("SELECT people_vector @@ to_tsquery('simple', 'alice:* & first') "
                       "FROM posts_search WHERE post_id = %s", [post.pk])
        assert cursor.fetchone() == (True,)
        # What a TRUNCATE of the posts leaves behind (it fires no delete trigger).
        cursor.execute("INSERT INTO posts_search VALUES (%s, %s, 'gone', 'gone')",
                       [post.pk + 1000, org.pk])

    call_command("migrate", "posts", verbosity=0)

    assert _found(org, "alice first status") == {post.pk}
    assert _found(org, "wonder words", people=False) == set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT post_id FROM posts_search")
        assert cursor.fetchall() == [(post.pk,)]
