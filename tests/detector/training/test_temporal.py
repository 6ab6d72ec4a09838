"""The temporal check fits on earlier tweets only and tests on every later one."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from tropewatch.detector.training.dataset import Example, posted_by
from tropewatch.detector.training.temporal import RESULT_FILE, temporal_check

SLURS = ["the jews control the banks", "jews are rats", "gas them all"]
NEUTRAL = ["jewish community centre opens", "israel election results", "shabbat dinner",
           "report on antisemitism rises"]


def write_isca(data_dir: Path, rows: int = 400) -> list[dict]:
    rng = random.Random(3)
    records = []
    for i in range(rows):
        biased = i % 4 == 0
        text = f"{rng.choice(SLURS if biased else NEUTRAL)} number {i} {rng.random():.6f}"
        records.append({"ID": str(i), "Username": f"u{i}",
                        "CreateDate": f"{2019 + i % 5}-03-0{1 + i % 9}", "Biased": int(biased),
                        "Keyword": "Jews", "Text": text})
    path = data_dir / "isca-goldstandard-2024" / "tweets.csv"
    path.parent.mkdir(parents=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    return records


@pytest.mark.parametrize(("date", "kept"), [("2021-12-31", True), ("2022-01-01", False),
                                            ("", False)])
def test_posted_by_compares_the_year(date, kept):
    assert posted_by(Example("t", 0, "Jews", date, "k"), 2021) is kept


def test_the_shipped_transformer_cannot_be_reused(tmp_path):
    with pytest.raises(ValueError, match="trained on later tweets"):
        temporal_check(tmp_path, transformer="reuse", output_dir=tmp_path)


def test_only_later_tweets_are_tested_and_the_result_is_recorded(tmp_path):
    records = write_isca(tmp_path)
    later = sum(int(r["CreateDate"][:4]) > 2021 for r in records)

    result = temporal_check(tmp_path, 2021, transformer="none", output_dir=tmp_path)

    assert result["sizes"]["later_tweets"] == later
    assert result["later"]["overall"]["n"] == later
    assert set(result["later_by_year"]["groups"]) == {"2022", "2023"}
    assert result["sizes"]["train"] + result["sizes"]["dev"] < len(records) - later
    assert json.loads((tmp_path / RESULT_FILE).read_text(encoding="utf-8")) == result
