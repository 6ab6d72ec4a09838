"""For the whole suite. Django is set up only under tests/service (its conftest), so the
detector's, the ingest readers' and the plain CLI's tests run without it.

Tests that need the training data beside the checkout (../shared/data) are marked ``data``
and ask for it with shared_data.require_shared_data: skipped where it is missing, failing
under CI."""

from hypothesis import settings

# No time limit per example: a deadline is a timed test, and on a busy 2-core machine the
# property tests that write to the database overran Hypothesis's default 200 ms.
settings.register_profile("tropewatch", deadline=None)
settings.load_profile("tropewatch")
