"""The temporal check: fit every stage on tweets up to a year, test on every later tweet.

A random split lets a model learn from posts of the same weeks, events and memes it is
then tested on, which flatters it; new posts arrive after the training data ends. Here
the n-gram model (and, with ``retrain``, the transformer) learn from the train split's
tweets up to ``until_year``, the combiner, threshold and gates from the dev split's, and
every tweet posted later, whatever its split, is the test. HateXplain posts carry no
dates, so they stay in training as in the shipped model. The result is written next to
the shipped model as ``temporal_check.json`` and shown on the model card.

It also measures what ``tropewatch adapt`` can do for an organisation that labels new posts:
a head (``adaptation.py``) fitted on 50, 200 or 1,000 of the later tweets, each a random
draw repeated with several seeds, and scored on the rest of them against not adapting.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import numpy as np

from ..adaptation import head_features
from ..bundle import DETECTOR_DIR, shipped_version
from ..lexicon import load_lexicon
from ..pipeline import Analysis
from ..policy import GENERAL_CATEGORY
from ..taxonomy import Taxonomy, load_taxonomy
from .adapt import FOLDS, HeldOut, decisions
from .dataset import load_hatexplain, load_isca, posted_by
from .train import fit_stages, held_out_reports, written_examples

RESULT_FILE = "temporal_check.json"
# How many later tweets an organisation labels before adapting, and draws of each.
ADAPT_SIZES = (50, 200, 1000)
ADAPT_DRAWS = 5


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
    # The written training posts are undated (written in 2026, about no dated event): they
    # join as in the shipped model, so the check measures the shipped recipe.
    written = written_examples()
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
        fitted = fit_stages(train_rows + written, dev, scorer, lexicon, seed)
        analyses = fitted.analyse([e.text for e in later])
        scores = fitted.scores(analyses)
        reports = held_out_reports(
            later, scores, fitted.threshold,
            f"ISCA tweets posted after {until_year}, every split; the model was fitted on "
            f"tweets up to {until_year} only", analyses)
    result = {
        "model_version": shipped_version(), "created": dt.date.today().isoformat(), "seed": seed,
        "until_year": until_year, "transformer": transformer,
        "lexicon_version": lexicon.version, "threshold": fitted.threshold,
        "sizes": {"train": len(train_rows), "written": len(written), "dev": len(dev),
                  "later_tweets": len(later)},
        "dev_out_of_fold": fitted.dev_reports["isca"].to_json(),
        "later": reports["isca"].to_json(),
        "later_by_year": reports["isca_by_year"].to_json(),
        "adaptation": adaptation_curve(analyses, scores, fitted.threshold,
                                       np.array([e.label for e in later]), seed),
    }
    output_dir = output_dir or DETECTOR_DIR
    (output_dir / RESULT_FILE).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


def adaptation_curve(analyses: list[Analysis], scores: np.ndarray, threshold: float,
                     labels: np.ndarray, seed: int, sizes=ADAPT_SIZES,
                     draws: int = ADAPT_DRAWS) -> dict:
    """F1 on the rest of the later tweets after fitting a head on ``size`` of them, against
    the model's own decisions on the same rest, for each draw. A draw whose labelled posts
    hold too few of either class to fit (under 2) counts as not adapting."""
    taxonomy = load_taxonomy()
    rows = np.array([_head_row(a, s, threshold, taxonomy) for a, s in zip(analyses, scores,
                                                                         strict=True)])
    read = np.array([a.relevant for a in analyses])
    base = scores >= threshold
    out = {"sizes": {}, "draws": draws, "note": "random draws of the later tweets, labelled "
           "by ISCA's experts; the rest of them scored"}
    for size in sizes:
        if size >= len(labels):
            continue
        shipped, adapted, fitted = [], [], 0
        for draw in range(draws):
            rng = np.random.default_rng([seed, size, draw])
            labelled = np.zeros(len(labels), dtype=bool)
            labelled[rng.choice(len(labels), size, replace=False)] = True
            fit = labelled & read
            rest = ~labelled
            predicted = base.copy()
            if np.bincount(labels[fit], minlength=2).min() >= 2:
                moved = rest & read
                predicted[moved] = decisions(rows[fit], labels[fit], rows[moved], seed)
                fitted += 1
            shipped.append(HeldOut.of(base[rest], labels[rest]).f1)
            adapted.append(HeldOut.of(predicted[rest], labels[rest]).f1)
        out["sizes"][str(size)] = {"held_out": int(len(labels) - size), "fitted": fitted,
                                   "shipped_f1": _spread(shipped),
                                   "adapted_f1": _spread(adapted)}
    out["folds"] = FOLDS
    return out


def _head_row(analysis: Analysis, score: float, threshold: float,
              taxonomy: Taxonomy) -> np.ndarray:
    """The head's inputs as a verdict of a model without trope × stance would give them: the
    lexicon's categories, or the general one for a post over the threshold without any."""
    categories = {m.entry.category for m in analysis.matches}
    if not categories and score >= threshold:
        categories = {GENERAL_CATEGORY}
    return head_features(float(score), analysis.counter_speech, 0.0, sorted(categories),
                         taxonomy)


def _spread(values: list[float]) -> dict:
    return {"mean": round(float(np.mean(values)), 4), "min": round(min(values), 4),
            "max": round(max(values), 4)}
