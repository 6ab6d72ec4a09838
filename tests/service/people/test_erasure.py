"""``tropewatch erase``: after it, nothing of the author's is left, and the chain verifies."""

from __future__ import annotations

import pytest
import typer
from django.db import connection
from typer.testing import CliRunner

from tropewatch.cases.models import Case
from tropewatch.cases.services import act, open_case
from tropewatch.cli import privacy
from tropewatch.evidence.models import EvidenceRecord, Tombstone
from tropewatch.evidence.verify import Broken, Intact, verify_chain
from tropewatch.people.services import link
from tropewatch.posts.models import Author, Post
from tropewatch.review.decisions import Decision, record
from tropewatch.review.models import ReviewEvent
from tropewatch.review.status import Action

SECRET_TEXT = "Unmistakable words only this author wrote about the Rothschilds"


@pytest.fixture
def cli():
    app = typer.Typer()
    app.callback()(lambda: None)  # a group, so that "erase" is named as on the command line
    privacy.register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(arg) for arg in args])


@pytest.fixture
def two_authors(org, members, make_post):
    lead = members["lead"]
    erased = Author.objects.create(org=org, platform="x", platform_id="111",
                                   handle="leaving_user", display_name="Leaving User")
    kept = Author.objects.create(org=org, platform="x", platform_id="222", handle="staying")
    for author, text in ((erased, SECRET_TEXT), (kept, "The Rothschilds again, says another")):
        post = make_post(text, author=author)
        record(org, post.pk, members["triage"], "triage", Decision(Action.NOTE, note="look"))
        record(org, post.pk, lead, "lead", Decision(Action.CONFIRM, note=f"about {text}"))
        case = open_case(org, [author], lead, "lead", note=f"case about {author.handle}")
        act(case, lead, "lead", "investigate")
    return erased, kept


def _all_text_in_the_database() -> str:
    """Every text and JSON cell of every table, as one string."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [c.name for c in connection.introspection.get_table_description(
                cursor, table)]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")
            parts.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(parts)


def test_erasing_an_author_leaves_none_of_their_text_and_the_chain_verifies(
        cli, org, two_authors):
    erased, kept = two_authors
    assert SECRET_TEXT in _all_text_in_the_database()
    before = isinstance(verify_chain(org), Intact)

    result = cli("erase", "--author", "@leaving_user", "--platform", "x", "--org", org.slug,
                 "--yes")

    assert result.exit_code == 0, result.output
    assert before and isinstance(verify_chain(org), Intact)
    everything = _all_text_in_the_database()
    for trace in (SECRET_TEXT, "leaving_user", "Leaving User"):
        assert trace not in everything
    # Two review events, one evidence record and two case events became tombstones.
    assert Tombstone.objects.count() == 5
    # The other author is untouched.
    assert Post.objects.filter(author=kept).count() == 1
    assert Case.objects.filter(authors=kept).count() == 1
    assert EvidenceRecord.objects.count() == 1 and ReviewEvent.objects.count() == 2


def test_verify_still_finds_a_deletion_that_is_not_an_erasure(cli, org, two_authors):
    erased, kept = two_authors
    cli("erase", "--author", "leaving_user", "--platform", "x", "--org", org.slug, "--yes")
    event = ReviewEvent.objects.filter(post__author=kept).first()

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM review_reviewevent WHERE id = %s", [event.pk])

    broken = verify_chain(org)
    assert isinstance(broken, Broken) and "the record was deleted" in str(broken)


def test_a_case_about_linked_accounts_keeps_the_other_account(org, members, make_post, cli):
    first = Author.objects.create(org=org, platform="x", platform_id="1", handle="one")
    second = Author.objects.create(org=org, platform="bluesky", platform_id="2", handle="two")
    link(first, second, "lead", "lead")
    for author in (first, second):
        post = make_post(f"post by {author.handle}", author=author)
        record(org, post.pk, members["lead"], "lead", Decision(Action.CONFIRM))
    case = open_case(org, [first, second], members["lead"], "lead")

    cli("erase", "--author", "one", "--platform", "x", "--org", org.slug, "--yes")

    assert list(case.authors.all()) == [second]
    assert [p.text for p in case.posts.all()] == ["post by two"]
    assert isinstance(verify_chain(org), Intact)


def test_erase_names_an_unknown_author(cli, org):
    result = cli("erase", "--author", "nobody", "--platform", "x", "--org", org.slug, "--yes")

    assert result.exit_code == 2
    assert "no x author 'nobody'" in result.stderr


def test_the_retention_policy_erases_old_dismissed_posts_only(org, members, make_post):
    from datetime import timedelta

    from django.utils import timezone

    from tropewatch.people.erasure import purge_dismissed
    from tropewatch.review.models import ReviewState

    lead = members["lead"]
    author = Author.objects.create(org=org, platform="x", platform_id="9", handle="h")
    old, recent, confirmed, in_case = (make_post(f"post {n}", author=author) for n in range(4))
    for post in (old, recent, in_case):
        record(org, post.pk, lead, "lead", Decision(Action.DISMISS, reason="news"))
    record(org, confirmed.pk, lead, "lead", Decision(Action.CONFIRM))
    case = open_case(org, [author], lead, "lead")
    case.posts.add(in_case)
    ReviewState.objects.filter(post__in=[old, in_case]).update(
        updated_at=timezone.now() - timedelta(days=91))

    assert purge_dismissed(org) == 0  # no policy, nothing erased
    org.retain_dismissed_days = 90
    org.save()
    assert purge_dismissed(org) == 1

    assert set(Post.objects.values_list("text", flat=True)) == {"post 1", "post 2", "post 3"}
    assert isinstance(verify_chain(org), Intact)
    assert Tombstone.objects.count() == 1  # the old post's one review event
