"""Django's async-safety guard is on in the Django suites: only the browser tests turn it off
(tests/service/browser/conftest.py), and only while they run."""

from __future__ import annotations

import asyncio
import os

import pytest
from django.core.exceptions import SynchronousOnlyOperation

from tropewatch.orgs.models import Organisation

# pytest-django runs tests without the database last and those with transactional_db (as
# the browser tests) after the others: both of these run after the browser tests.


def test_the_guard_is_not_turned_off_outside_the_browser_tests():
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ


def test_django_refuses_an_orm_call_from_a_running_event_loop(transactional_db):
    async def count_organisations() -> int:
        return Organisation.objects.count()

    with pytest.raises(SynchronousOnlyOperation):
        asyncio.run(count_organisations())
