"""For the whole suite: the fixtures both Django suites share (tests/service and
tests/review). They import Django only when a test asks for them, so the detector's
tests still run without it."""

pytest_plugins = ["org_fixtures"]
