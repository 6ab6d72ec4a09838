"""Where the shipped models live, and the check that a bundle fits the data it runs with.

The models sit in fixed folders, so a retrain replaces files instead of adding a folder:

    data/models/detector/     meta.json, ngram.npz, temporal_check.json
    data/models/transformer/  meta.json, model.onnx, tokenizer.json, LICENSE-NOTICE.txt
    data/models/encoder/      meta.json, model.onnx, tokenizer.json (the sentence encoder)

A version is written in one place only, each folder's ``meta.json``. A bundle records the
lexicon and taxonomy versions it was trained with: the lexicon's matches and the taxonomy's
categories are features of its combiner, so run with other ones it would score posts in ways
nobody measured.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

MODELS_DIR = Path(__file__).parent / "data" / "models"
DETECTOR_DIR = MODELS_DIR / "detector"
TRANSFORMER_DIR = MODELS_DIR / "transformer"
# The published sentence model, not fine-tuned (training/export_encoder.py): the claim and
# stance stages' embeddings. Exported once; retraining the detector leaves it alone.
ENCODER_DIR = MODELS_DIR / "encoder"
# A bundle names its transformer as a folder beside its own (meta.json "transformer").
TRANSFORMER_FOLDER = TRANSFORMER_DIR.name


class BundleMismatchError(RuntimeError):
    """A model bundle built with another lexicon or taxonomy than the one in data/."""


@lru_cache(maxsize=8)
def read_meta(model_dir: Path) -> dict:
    return json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))


def shipped_version() -> str:
    """The shipped detector's version, read without loading any model."""
    return read_meta(DETECTOR_DIR)["version"]


def check_data_versions(model_dir: Path, meta: dict, lexicon_version: str,
                        taxonomy_version: str) -> None:
    """Refuse a bundle whose lexicon or taxonomy version differs from the loaded data's."""
    found = {"lexicon": (meta.get("lexicon_version"), lexicon_version),
             "taxonomy": (meta.get("taxonomy_version"), taxonomy_version)}
    differ = [f"{name} {built} (data/ has {current})"
              for name, (built, current) in found.items() if built != current]
    if differ:
        raise BundleMismatchError(
            f"{model_dir / 'meta.json'}: model {meta.get('version')} was built with "
            f"{' and '.join(differ)}; retrain it (tropewatch train) or use the matching data")
