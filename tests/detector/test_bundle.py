"""The shipped models' fixed folders, their one version source, and the checks around them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tropewatch.detector.bundle import (
    DETECTOR_DIR,
    TRANSFORMER_DIR,
    BundleMismatchError,
    shipped_version,
)
from tropewatch.detector.lexicon import load_lexicon
from tropewatch.detector.pipeline import Detector, model_version
from tropewatch.detector.taxonomy import load_taxonomy
from tropewatch.detector.training.train import next_version, output_root

from .bundles import edited_bundle


def test_the_shipped_models_sit_in_fixed_folders_named_without_a_version():
    folders = sorted(p.name for p in DETECTOR_DIR.parent.iterdir() if p.is_dir())

    assert folders == ["detector", "encoder", "transformer"]
    assert (DETECTOR_DIR / "ngram.npz").is_file() and (TRANSFORMER_DIR / "model.onnx").is_file()


def test_the_version_is_read_from_meta_json():
    meta = json.loads((DETECTOR_DIR / "meta.json").read_text(encoding="utf-8"))

    assert shipped_version() == model_version() == meta["version"]
    assert meta["transformer"] == TRANSFORMER_DIR.name


def test_a_bundle_built_with_another_lexicon_is_refused_naming_both_versions(tmp_path):
    bundle = edited_bundle(tmp_path, lambda meta: meta.update(lexicon_version="2020.1.1"))

    with pytest.raises(BundleMismatchError) as refused:
        Detector(bundle)

    message = str(refused.value)
    assert str(bundle / "meta.json") in message
    assert f"lexicon 2020.1.1 (data/ has {load_lexicon().version})" in message
    assert "taxonomy" not in message


def test_a_bundle_built_with_another_taxonomy_is_refused_naming_both_versions(tmp_path):
    bundle = edited_bundle(tmp_path, lambda meta: meta.update(taxonomy_version="2020.1.1"))

    with pytest.raises(BundleMismatchError, match=r"taxonomy 2020\.1\.1 \(data/ has ") as refused:
        Detector(bundle)

    assert load_taxonomy().version in str(refused.value)


@pytest.mark.parametrize(("current", "today", "expected"), [
    ("2026.11.6", dt.date(2026, 11, 30), "2026.11.7"),
    ("2026.11.6", dt.date(2026, 12, 5), "2026.12.1"),
    ("2026.12.9", dt.date(2027, 1, 1), "2027.1.1"),
])
def test_the_next_version_counts_up_within_a_month_and_starts_again_in_a_new_one(
        current, today, expected):
    assert next_version(current, today) == expected


def test_a_run_writes_under_var_models_by_default():
    assert output_root(None, "2026.12.1") == Path("var") / "models" / "2026.12.1"


def test_the_shipped_folder_refuses_the_shipped_version_and_takes_a_new_one():
    shipped_root = DETECTOR_DIR.parent

    with pytest.raises(ValueError, match="shipped model"):
        output_root(shipped_root, shipped_version())
    assert output_root(shipped_root, "2099.1.1") == shipped_root
