"""docs/model-card.md is what `tropewatch model-card` renders from the shipped meta.json, so
a retrained model cannot ship with last month's numbers."""

from pathlib import Path

from tropewatch.detector.bundle import DETECTOR_DIR, read_meta
from tropewatch.detector.training.model_card import render

CARD = Path(__file__).parents[3] / "docs" / "model-card.md"


def test_the_checked_in_card_matches_the_shipped_model():
    assert CARD.read_text(encoding="utf-8") == render(), (
        "docs/model-card.md is stale: run `tropewatch model-card --output docs/model-card.md`")


def test_the_card_states_use_limits_and_the_headline_numbers():
    card = render()
    meta = read_meta(DETECTOR_DIR)
    assert "never automatic sanctions" in card
    assert "English only" in card
    assert f"**{meta['metrics']['test_isca']['overall']['f1']:.3f}**" in card
    for keyword in ("Jews", "Israel", "Kikes", "ZioNazi"):
        assert f"keyword `{keyword}`" in card
    assert "year `2023`" in card and "| score (dev) |" in card and "| score (test) |" in card
