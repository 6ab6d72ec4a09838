"""The organisation and source fixtures the Django suites use (tests/service, tests/review
and tests/browser, whose ``org`` overrides this one with committed rows). They import
Django only when a test asks for them, so the detector's tests never load it."""

import pytest


@pytest.fixture
def org(db):
    from tropewatch.orgs.models import Organisation

    return Organisation.objects.create(name="Campaign group", slug="campaign")


@pytest.fixture
def source(org):
    from tropewatch.posts.models import Source

    return Source.objects.create(org=org, platform="x", kind="hashtag", name="#topic")
