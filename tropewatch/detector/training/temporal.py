"""The temporal check: fit every stage on tweets up to a year, test on every later tweet.

A random split lets a model learn from posts of the same weeks, events and memes it is
then tested on, which flatters it; new posts arrive after the training data ends. Here
the n-gram model (and, with ``retrain``, the transformer) learn from the train split's
tweets up to ``until_year``, the combiner, threshold and gates from the dev split's, and
every tweet posted later, whatever its split, is the test. HateXplain posts carry no
dates, so they stay in training as in the shipped model. The result is written next to
the shipped model as ``temporal_check.json`` and shown on the model card.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from ..bundle import DETECTOR_DIR, shipped_version
from ..lexicon import load_lexicon
from .dataset import load_hatexplain, load_isca, posted_by
from .train import fit_stages, held_out_reports

RESULT_FILE = "temporal_check.json"


def temporal_check(data_dir: Path, until_year: int = 2021, seed: int = 13,
                   transformer: str = "retrain", output_dir: Path | None = None) -> dict:
    """Run the check and write its result; ``transformer`` is ``retrain`` (fine-tune a
    transformer on the earlier tweets only: slow) or ``none``. The shipped transformer
    cannot be reused: it has seen later tweets."""
    if transformer not in ("retrain", "none"):
        raise ValueError("the temporal check needs --transformer retrain or none: the shipped "
                         "transformer was trained on later tweets too")
    isca, _ = load_isca(data_dir)
    hatexplain = load_hatexplain(data_dir)
    earlier = [e for e in isca if posted_by(e, until_year)]
    later = [e for e in isca if e.date and not posted_by(e, until_year)]
    train_rows = [e for e in earlier + hatexplain if e.split == "train"]
    dev = [e for e in earlier + hatexplain if e.split == "dev"]
    lexicon = load_lexicon()
    with tempfile.TemporaryDirectory() as scratch:
        scorer = None
        if transformer == "retrain":
            from ..transformer import TransformerScorer
            from .train_transformer import train_transformer

            train_transformer(data_dir, Path(scratch), f"temporal-{until_year}", seed=seed,
                              until_year=until_year)
            scorer = TransformerScorer(Path(scratch))
        fitted = fit_stages(train_rows, dev, scorer, lexicon, seed)
        analyses = fitted.analyse([e.text for e in later])
        reports = held_out_reports(
            later, fitted.scores(analyses), fitted.threshold,
            f"ISCA tweets posted after {until_year}, every split; the model was fitted on "
            f"tweets up to {until_year} only", analyses)
    result = {
        "model_version": shipped_version(), "created": dt.date.today().isoformat(), "seed": seed,
        "until_year": until_year, "transformer": transformer,
        "lexicon_version": lexicon.version, "threshold": fitted.threshold,
        "sizes": {"train": len(train_rows), "dev": len(dev), "later_tweets": len(later)},
        "dev_out_of_fold": fitted.dev_reports["isca"].to_json(),
        "later": reports["isca"].to_json(),
        "later_by_year": reports["isca_by_year"].to_json(),
    }
    output_dir = output_dir or DETECTOR_DIR
    (output_dir / RESULT_FILE).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result
