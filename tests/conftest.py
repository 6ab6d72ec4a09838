"""For the whole suite: the fixtures the Django suites share (tests/service, tests/review
and tests/browser). They import Django only when a test asks for them, so the detector's
tests still run without it.

Tests that need the training data beside the checkout (../shared/data) are marked ``data``
and ask for it with shared_data.require_shared_data: skipped where it is missing, failing
under CI."""

pytest_plugins = ["org_fixtures"]
