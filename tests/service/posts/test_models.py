from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction

from tropewatch.imports.models import ImportRun
from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import Author, Detection, OrgScoped, Post, Source

WHEN = datetime(2024, 5, 1, tzinfo=UTC)


def _post(org, source, platform_id="1", platform="x", **fields) -> Post:
    return Post.objects.create(
        org=org, source=source, platform=platform, platform_id=platform_id, text="hello",
        created_at=WHEN, content_sha256="0" * 64, **fields,
    )


def _detection(post, policy="ihra", model_version="m1") -> Detection:
    return Detection.objects.create(
        org=post.org, post=post, antisemitic=False, score=0.1, model_version=model_version,
        policy=policy, content_sha256=post.content_sha256,
    )


def _refused(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_a_post_id_is_unique_per_organisation_and_platform(org, source):
    _post(org, source, "1")

    _refused(lambda: _post(org, source, "1"))
    other = Organisation.objects.create(name="Other", slug="other")
    _post(other, Source.objects.create(org=other, platform="x", name="s"), "1")
    _post(org, source, "1", platform="mastodon")
    assert Post.objects.filter(platform_id="1").count() == 3


def test_an_author_is_unique_per_organisation_and_platform(org):
    Author.objects.create(org=org, platform="x", platform_id="42")

    _refused(lambda: Author.objects.create(org=org, platform="x", platform_id="42"))
    Author.objects.create(org=org, platform="bluesky", platform_id="42")


def test_a_post_has_one_detection_per_policy_and_model_version(org, source):
    post = _post(org, source)
    _detection(post)

    _refused(lambda: _detection(post))
    _detection(post, policy="jda")
    _detection(post, model_version="m2")
    assert post.detections.count() == 3


def test_a_source_name_is_unique_per_organisation_and_platform(org, source):
    _refused(lambda: Source.objects.create(org=org, platform="x", name=source.name))
    Source.objects.create(org=org, platform="mastodon", name=source.name)


def test_every_model_but_organisation_belongs_to_an_organisation():
    from django.apps import apps

    from tropewatch.reports.models import InstanceRules

    # A Mastodon server's public rules are the same whichever organisation reports there.
    shared = {Organisation, InstanceRules}
    ours = [m for m in apps.get_models() if m.__module__.startswith("tropewatch.")]
    assert {m.__name__ for m in ours} >= {"Source", "Author", "Post", "Detection", "ImportRun"}
    for model in ours:
        if model not in shared:
            assert issubclass(model, OrgScoped), model
            assert hasattr(model.objects, "for_org"), model


def test_for_org_returns_only_that_organisations_rows(org, source):
    other = Organisation.objects.create(name="Other", slug="other")
    _post(org, source, "1")
    _post(other, Source.objects.create(org=other, platform="x", name="s"), "2")

    assert list(Post.objects.for_org(org).values_list("platform_id", flat=True)) == ["1"]


def test_deleting_an_organisation_erases_all_its_data(org, source):
    post = _post(org, source)
    _detection(post)
    ImportRun.objects.create(org=org, source=source, platform="x", input_path="f",
                             file_sha256="0" * 64, file_size=0)
    other = Organisation.objects.create(name="Other", slug="other")
    kept = _post(other, Source.objects.create(org=other, platform="x", name="s"))

    org.delete()

    for model in (Source, Post, Detection, ImportRun):
        assert not model.objects.exclude(org=other).exists(), model
    assert Post.objects.get() == kept


def test_deleting_an_author_erases_their_posts_and_detections(org, source):
    author = Author.objects.create(org=org, platform="x", platform_id="42")
    _detection(_post(org, source, author=author))

    author.delete()

    assert not Post.objects.exists()
    assert not Detection.objects.exists()


def test_a_source_with_posts_cannot_be_deleted_by_itself(org, source):
    from django.db.models import RestrictedError

    _post(org, source)

    with pytest.raises(RestrictedError):
        source.delete()
