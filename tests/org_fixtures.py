"""The organisation and source fixtures both Django suites use (tests/service and
tests/review). Each suite's conftest imports them, after it has set Django up, so the
detector's tests never load Django."""

import pytest


@pytest.fixture
def org(db):
    from tropewatch.orgs.models import Organisation

    return Organisation.objects.create(name="Campaign group", slug="campaign")


@pytest.fixture
def source(org):
    from tropewatch.posts.models import Source

    return Source.objects.create(org=org, platform="x", kind="hashtag", name="#topic")
