"""``plain_in`` finds what ``in`` finds, for the plain ints and strings it takes, and refuses
any other value rather than compare it unconverted."""

from __future__ import annotations

import numpy as np
import pytest
from django.db.models import F

from tropewatch.posts.models import Detection, Post


@pytest.fixture
def posts(make_post) -> list[Post]:
    return [make_post(f"post {n}", flagged=n % 2 == 0) for n in range(6)]


def _both(queryset, lookup: str, values) -> tuple[list, list]:
    def ids(name: str) -> list:
        return sorted(queryset.filter(**{f"{lookup}__{name}": values})
                      .values_list("pk", flat=True))
    return ids("plain_in"), ids("in")


@pytest.mark.django_db
def test_it_finds_what_in_finds_by_key_foreign_key_and_text(posts):
    chosen = [posts[0].pk, posts[3].pk, posts[5].pk, 10**9]  # and one that is no post
    plain, django_s = _both(Post.objects.all(), "pk", chosen)
    assert plain == django_s == sorted(chosen[:3])
    plain, django_s = _both(Detection.objects.all(), "post_id", chosen)
    assert plain == django_s and len(plain) == 3
    platform_ids = {posts[1].platform_id, posts[2].platform_id, "nobody's"}  # a set will do
    plain, django_s = _both(Post.objects.all(), "platform_id", platform_ids)
    assert plain == django_s == sorted([posts[1].pk, posts[2].pk])


@pytest.mark.django_db
def test_repeated_values_and_an_empty_list_behave_as_with_in(posts):
    assert _both(Post.objects.all(), "pk", [posts[0].pk] * 3) == ([posts[0].pk], [posts[0].pk])
    assert _both(Post.objects.all(), "pk", []) == ([], [])


@pytest.mark.django_db
@pytest.mark.parametrize(("lookup", "value"), [
    ("pk", "1"),  # a string for an integer key
    ("pk", True),  # a bool is an int to Python, not to every database
    ("pk", None),
    ("pk", np.int64(1)),  # drivers differ on numpy's integers
    ("post_id", 1.0),
    ("platform_id", 7),  # an int for a text column
])
def test_a_value_that_would_need_converting_is_refused(posts, lookup, value):
    model = Detection if lookup == "post_id" else Post
    fine = posts[0].platform_id if lookup == "platform_id" else posts[0].pk
    with pytest.raises(TypeError, match="plain_in"):
        list(model.objects.filter(**{f"{lookup}__plain_in": [fine, value]}))


@pytest.mark.django_db
def test_a_query_or_expression_is_refused(posts):
    with pytest.raises(TypeError, match="plain_in"):
        list(Post.objects.filter(pk__plain_in=Post.objects.values("pk")))
    with pytest.raises(TypeError, match="plain_in"):
        list(Post.objects.filter(pk__plain_in=F("parent_id")))
