"""For the whole suite: the fixtures the Django suites share (tests/service, tests/review
and tests/browser). They import Django only when a test asks for them, so the detector's
tests still run without it."""

pytest_plugins = ["org_fixtures"]
