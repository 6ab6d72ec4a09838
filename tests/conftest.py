"""For the whole suite. Django is set up only under tests/service (its conftest), so the
detector's, the ingest readers' and the plain CLI's tests run without it.

Tests that need the training data beside the checkout (../shared/data) are marked ``data``
and ask for it with shared_data.require_shared_data: skipped where it is missing, failing
under CI."""
