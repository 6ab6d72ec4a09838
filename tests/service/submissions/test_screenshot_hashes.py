"""Screenshots stored before their hashes were kept get them when the database is upgraded,
so that evidence captured afterwards can name them."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tropewatch.submissions.models import Screenshot

from .flags import image_bytes

BEFORE = ("submissions", "0001_initial")


@pytest.mark.django_db(transaction=True)
def test_upgrading_hashes_the_screenshots_already_stored(org, members, make_post,
                                                         restores_schema):
    post = make_post()
    call_command("migrate", *BEFORE, verbosity=0)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    submission = old.get_model(*BEFORE[:1], "Submission").objects.create(
        org_id=org.pk, post_id=post.pk, reporter_id=members["reporter"].pk,
        seen_at=datetime.now(UTC), url_sha256="0" * 64)
    pixels = image_bytes()
    old.get_model(*BEFORE[:1], "Screenshot").objects.create(
        org_id=org.pk, submission_id=submission.pk, data=pixels, content_type="image/png",
        width=40, height=30)

    call_command("migrate", "submissions", verbosity=0)

    assert Screenshot.objects.get().sha256 == hashlib.sha256(pixels).hexdigest()
