"""What the member list tests share: a key in the settings, and writing a list to a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

TEST_KEY = "members-test-key-0123456789-abcdefghijklmnop"


@pytest.fixture(autouse=True)
def members_key(settings) -> str:
    settings.MEMBERS_KEY = TEST_KEY
    settings.MEMBERS_PHONE_REGION = "GB"
    return TEST_KEY


@pytest.fixture
def write_list(tmp_path) -> Callable[[str], Path]:
    def write(text: str, name: str = "members.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
