"""A copy of a model bundle with its meta.json edited, for tests of what the detector does
with a bundle unlike the shipped one."""

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from tropewatch.detector.bundle import DETECTOR_DIR, TRANSFORMER_DIR


def edited_bundle(tmp_path: Path, edit: Callable[[dict], None],
                  source: Path = DETECTOR_DIR) -> Path:
    """``source`` copied to ``tmp_path/detector`` (the shipped transformer linked beside
    it), with ``edit`` applied to its meta.json; returns the copy's folder."""
    bundle = tmp_path / "detector"
    shutil.copytree(source, bundle)
    (tmp_path / "transformer").symlink_to(TRANSFORMER_DIR)
    meta = json.loads((bundle / "meta.json").read_text(encoding="utf-8"))
    edit(meta)
    (bundle / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return bundle
