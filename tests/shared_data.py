"""The training data beside the checkout (../shared/data), for the tests marked ``data``.

Where it is missing (a fresh clone) those tests are skipped with a message saying where it
was looked for. Under CI (the CI variable set) a missing file fails them instead, as for the
browser and integration tests: CI's machine has the data, and a skip there would hide that
nothing was tested.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def require_shared_data(*parts: str) -> Path:
    """The path ``parts`` under the shared data folder (the folder itself without ``parts``):
    skips the test when it does not exist, or fails it under CI."""
    __tracebackhide__ = True  # report the test that needs the data, not this line
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        message = f"shared training data not found at {path}"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must provide it to run the tests marked data")
        pytest.skip(message)
    return path
