"""``bulk.upsert`` writes many rows in few statements, and leaves exactly what storing the
rows one after the other leaves, repeated keys included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError

from tropewatch.posts.bulk import upsert
from tropewatch.posts.models import Author

FIELDS = ["org", "platform", "platform_id", "handle", "display_name", "bio", "updated_at"]
WHEN = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _rows(org, names: list[str]) -> list[tuple]:
    return [(org.pk, "x", name.split("-")[0], f"handle {name}", f"name {name}", f"bio {n}",
             WHEN + timedelta(minutes=n)) for n, name in enumerate(names)]


def _stored(org) -> list[tuple]:
    return sorted(Author.objects.for_org(org).values_list(*FIELDS[1:]))


def _upsert(rows) -> None:
    upsert(Author, FIELDS, rows, unique=["org", "platform", "platform_id"], keep=["handle"])


def test_rows_in_many_statements_store_as_rows_stored_one_by_one(org, other_org):
    # 300 authors, some twice and one three times, over more rows than one statement holds.
    names = [str(n) for n in range(300)] + ["7-again", "250-again", "7-third"]
    _upsert(_rows(org, ["7-stored", "12-stored"]))
    _upsert(_rows(other_org, ["7-stored", "12-stored"]))

    _upsert(_rows(org, names))
    for row in _rows(other_org, names):
        _upsert([row])

    assert _stored(org) == _stored(other_org)
    author = Author.objects.for_org(org).get(platform_id="7")
    # The handle is kept from the first row stored; the rest comes from the last.
    assert (author.handle, author.display_name) == ("handle 7-stored", "name 7-third")
    assert Author.objects.for_org(org).count() == 300


def test_a_key_repeated_in_new_rows_keeps_its_first_kept_field(org):
    _upsert(_rows(org, ["5-first", "5-second"]))

    author = Author.objects.for_org(org).get()
    assert (author.handle, author.bio) == ("handle 5-first", "bio 1")


def test_new_rows_get_ids_in_the_order_given(org):
    names = ["m", "c", "x", "a", "q"]
    _upsert(_rows(org, names))

    assert list(Author.objects.for_org(org).order_by("pk")
                .values_list("platform_id", flat=True)) == names


@pytest.mark.django_db(transaction=True)
def test_a_failed_upsert_leaves_nothing_for_the_next(org):
    # Outside a transaction each statement commits alone: on PostgreSQL the failed rows'
    # COPY into the staging table stays behind, and must not be stored by the next upsert.
    bad = [(org.pk, "x", "bad", None, "no handle", "", WHEN)]  # handle may not be null
    with pytest.raises(IntegrityError):
        _upsert(bad)

    _upsert(_rows(org, ["1-good"]))

    assert _stored(org) == [("x", "1", "handle 1-good", "name 1-good", "bio 0", WHEN)]
