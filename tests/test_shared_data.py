"""require_shared_data (tests/shared_data.py): a test needing ../shared/data is skipped where
it is missing, and fails under CI."""

from __future__ import annotations

from pathlib import Path

import pytest
import shared_data
from shared_data import require_shared_data


@pytest.fixture
def data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    folder = tmp_path / "shared" / "data"
    monkeypatch.setattr(shared_data, "SHARED_DATA", folder)
    return folder


def test_it_skips_naming_the_missing_path_outside_ci(data_folder, monkeypatch):
    monkeypatch.delenv("CI", raising=False)

    with pytest.raises(pytest.skip.Exception) as skipped:
        require_shared_data("isca-goldstandard-2024", "tweets.csv")

    assert str(data_folder / "isca-goldstandard-2024" / "tweets.csv") in str(skipped.value)


@pytest.mark.parametrize("parts", [(), ("isca-goldstandard-2024", "tweets.csv")])
def test_it_fails_under_ci_when_the_data_is_missing(data_folder, monkeypatch, parts):
    monkeypatch.setenv("CI", "true")

    with pytest.raises(pytest.fail.Exception, match="CI must provide it"):
        require_shared_data(*parts)


def test_it_returns_the_path_when_the_data_is_there(data_folder, monkeypatch):
    monkeypatch.setenv("CI", "true")
    tweets = data_folder / "isca-goldstandard-2024" / "tweets.csv"
    tweets.parent.mkdir(parents=True)
    tweets.write_text("Text,Biased,Keyword\n", encoding="utf-8")

    assert require_shared_data() == data_folder
    assert require_shared_data("isca-goldstandard-2024", "tweets.csv") == tweets
