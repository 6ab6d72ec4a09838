"""``tropewatch train``: rebuild the model bundle reproducibly.

It writes a folder laid out like the shipped one (``detector/`` and ``transformer/``, see
``bundle.py``), by default ``var/models/<version>``, where the version is the one after the
shipped bundle's. Giving ``--output-dir tropewatch/detector/data/models`` with a new
``--version`` replaces the shipped model; the same version as the shipped one is refused
there, so two different models never carry one version string.

1. Fit the n-gram model on the train split (ISCA tweets, plus HateXplain posts at
   a lower weight because their labels are generic hate, not IHRA judgements).
2. (Re)use the fine-tuned transformer (``train_transformer``; slow, optional).
3. Fit the combiner on the dev split with cross-validated predictions, choose the
   threshold on those out-of-fold scores, then fit it on all of dev. Fit the
   transformer gate (``triage.py``) the same way, on the same rows without the
   transformer's feature.
4. Report the untouched test split, per keyword and per year, with a reliability
   table, and write everything into a self-describing folder with meta.json.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..bundle import (
    DETECTOR_DIR,
    ENCODER_DIR,
    TRANSFORMER_DIR,
    TRANSFORMER_FOLDER,
    shipped_version,
)
from ..classifier import CHAR_PARAMS, WORD_PARAMS, NgramClassifier
from ..combiner import Combiner, cue_directions
from ..counter_speech import load_cues
from ..floors import (
    COUNTER_SPEECH_LIMIT,
    apply_floor,
    estimate_floors,
    quoted_flags,
    uncontested_entries,
)
from ..lexicon import Lexicon, load_lexicon
from ..naming import naming_meta
from ..normalize import normalize
from ..pipeline import (
    Analysis,
    ClaimReader,
    ClaimStage,
    analyse,
    cascade_scores,
    prepare_for_ngrams,
)
from ..taxonomy import load_taxonomy
from ..triage import (
    TransformerGate,
    cascade,
    choose_skip_below,
    needs_transformer,
    without_transformer,
)
from ..trope_stance import with_claims
from .dataset import (
    HATEXPLAIN_JEWISH_WEIGHT,
    HATEXPLAIN_RELATIVE,
    HATEXPLAIN_WEIGHT,
    ISCA_RELATIVE,
    SPLIT_BUCKETS,
    WRITTEN_DEV,
    Example,
    dedup_key,
    load_hatexplain,
    load_isca,
    load_written,
    read_labelled_csv,
    training_weight,
)
from .evaluate import EvalReport, Metrics, file_sha256, report
from .stored_logits import LogitTable, ReplayedTransformer
from .train_claims import fit_claim_stage, load_written_train

DEFAULT_OUTPUT_ROOT = Path("var") / "models"
VERSION_FORMAT = re.compile(r"\d{4}\.\d{1,2}\.\d+")  # YEAR.MONTH.N, as the taxonomy's
CITATION = ("Jikeli, G., Karali, S., Miehling, D., Soemer, K. (2023). Antisemitic Messages? "
            "A Guide to High-Quality Annotation and a Labeled Dataset of Tweets; "
            "ISCA Gold Standard 2024 (Zenodo 14448399). CC BY 4.0.")


@dataclass
class TrainReport:
    artifact_dir: Path
    dev_metrics: EvalReport
    test_metrics: EvalReport
    meta: dict


def _weights(examples: Sequence[Example]) -> np.ndarray:
    return np.array([training_weight(e) for e in examples])


def fit_combiner(rows: list[dict], labels: np.ndarray, weights: np.ndarray) -> Combiner:
    """Every combiner training fits, with each counter-speech cue kept to its direction."""
    return Combiner.fit(rows, labels, weights, cue_directions(load_cues()))


def _out_of_fold(rows: list[dict], labels: np.ndarray, weights: np.ndarray, seed: int,
                 folds: int = 5) -> np.ndarray:
    """Combiner scores for dev rows, each from a combiner that did not see that row."""
    order = np.random.default_rng(seed).permutation(len(rows))
    scores = np.empty(len(rows))
    for fold in range(folds):
        held = order[fold::folds]
        fit_on = np.setdiff1d(order, held)
        combiner = fit_combiner([rows[i] for i in fit_on], labels[fit_on], weights[fit_on])
        scores[held] = combiner.probabilities([rows[i] for i in held])
    return scores


THRESHOLD_CANDIDATES = np.round(np.arange(0.20, 0.90, 0.01), 2)
# Dev F1 is flat and ragged near its best (a few hundred antisemitic posts), so the
# single best cut moves by 0.05 or more when one feature changes. Averaging F1 over
# neighbouring cuts picks the middle of the best plateau instead of its luckiest point.
THRESHOLD_SMOOTHING = 3  # candidates either side


def plateau_centre(values: np.ndarray, reach: int = THRESHOLD_SMOOTHING) -> int:
    """The index whose ``reach`` neighbours either side have the highest mean value."""
    width = 2 * reach + 1
    return reach + int(np.argmax(np.convolve(values, np.ones(width) / width, mode="valid")))


def _best_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    f1 = np.array([Metrics.count(labels, scores >= t).f1 for t in THRESHOLD_CANDIDATES])
    return float(THRESHOLD_CANDIDATES[plateau_centre(f1)])


def held_out_reports(examples: Sequence[Example], scores: np.ndarray, threshold: float,
                     note: str, analyses: Sequence[Analysis]) -> dict[str, EvalReport]:
    """ISCA per keyword, ISCA per year, ISCA call-outs, and HateXplain per target group,
    kept apart: a single figure over both datasets would mean nothing."""
    isca = [i for i, e in enumerate(examples) if not e.group.startswith("hatexplain")]
    other = [i for i, e in enumerate(examples) if e.group.startswith("hatexplain")]
    by_year = [Example(e.text, e.label, e.date[:4] or "unknown", e.date, e.key)
               for e in examples]
    # ISCA has no call-out label; the tweets the counter-speech cues read as calling
    # antisemitism out (the same limit at which floors stop applying) stand in for them,
    # split by the experts' label.
    stance = [Example(e.text, e.label,
                      "reads as a call-out" if a.counter_speech >= COUNTER_SPEECH_LIMIT
                      else "does not", e.date, e.key)
              for e, a in zip(examples, analyses, strict=True)]

    def part(rows: list[Example], indices: list[int], label: str) -> EvalReport:
        picked = scores[indices]
        return report([rows[i] for i in indices], picked.tolist(),
                      (picked >= threshold).tolist(), f"{note}; {label}")

    reports = {"isca": part(list(examples), isca, "ISCA tweets by sampling keyword"),
               "isca_by_year": part(by_year, isca, "ISCA tweets by year"),
               "isca_by_stance": part(stance, isca, "ISCA tweets by whether the "
                                      "counter-speech cues read them as calling "
                                      "antisemitism out")}
    if other:
        reports["hatexplain"] = part(list(examples), other, "HateXplain posts by target")
    return reports


def _relevance_gate(examples: Sequence[Example], analyses: Sequence[Analysis]) -> dict:
    """What the cascade's first stage clears on dev, and the score cleared posts get:
    the smoothed share of antisemitic posts among them."""
    cleared = [e.label for e, a in zip(examples, analyses, strict=True) if not a.relevant]
    return {"dev_posts": len(examples), "cleared": len(cleared),
            "antisemitic": sum(e.label for e in examples), "cleared_antisemitic": sum(cleared),
            "cleared_score": round((sum(cleared) + 0.5) / (len(cleared) + 1), 4)}


def _shipped_scores(scores: np.ndarray, analyses: Sequence[Analysis], floors: dict[str, float],
                    cleared_score: float) -> np.ndarray:
    """Scores as the shipped detector gives them: floors applied, cleared posts fixed."""
    return np.array([apply_floor(float(s), a.uncontested, floors) if a.relevant
                     else cleared_score for s, a in zip(scores, analyses, strict=True)])


def _uncontested(text: str, lexicon: Lexicon) -> frozenset[str]:
    normalized = normalize(text)
    explicit = [m for m in lexicon.find(normalized) if m.entry.strength == "explicit"]
    if not explicit:
        return frozenset()
    return uncontested_entries(explicit, quoted_flags(text, explicit),
                               load_cues().score(load_cues().features(normalized)))


def _fit_transformer_gate(rows: list[dict], labels: np.ndarray, weights: np.ndarray,
                          full_oof: np.ndarray, relevant: np.ndarray, seed: int, flagged
                          ) -> tuple[TransformerGate, dict, np.ndarray]:
    """The gate, what it did on dev, and the dev out-of-fold scores with it in place.
    ``relevant`` marks the posts past the relevance gate: only they would meet it."""
    cheap_rows = [without_transformer(r) for r in rows]
    cheap_oof = _out_of_fold(cheap_rows, labels, weights, seed)
    skip_below = choose_skip_below(cheap_oof, full_oof, flagged)
    oof = cascade(cheap_oof, full_oof, skip_below)
    skipped = ~needs_transformer(cheap_oof, skip_below) & relevant
    report = {"relevant_posts": int(relevant.sum()), "skipped": int(skipped.sum()),
              "skipped_antisemitic": int(labels[skipped].sum()),
              "flags_lost": int(np.sum(flagged(full_oof) & ~flagged(oof)))}
    return (TransformerGate(fit_combiner(cheap_rows, labels, weights), skip_below), report,
            oof)


def next_version(current: str, today: dt.date) -> str:
    """The version after ``current`` (YEAR.MONTH.N): N + 1 within its month, else the
    month's first."""
    year, month, number = (int(part) for part in current.split("."))
    if (year, month) == (today.year, today.month):
        return f"{year}.{month}.{number + 1}"
    return f"{today.year}.{today.month}.1"


def output_root(output_dir: Path | None, version: str) -> Path:
    """Where a run writes its ``detector/`` and ``transformer/`` folders."""
    root = Path(output_dir) if output_dir else DEFAULT_OUTPUT_ROOT / version
    if (root / DETECTOR_DIR.name).resolve() == DETECTOR_DIR.resolve():
        shipped = shipped_version()
        if version == shipped:
            raise ValueError(f"{DETECTOR_DIR} holds the shipped model {shipped}: give a new "
                             "--version to replace it, or another --output-dir")
    return root


def _resolve_transformer(data_dir: Path, mode: str, seed: int, transformer_dir: Path,
                         version: str):
    """The transformer stage's scorer, and its folder written beside the bundle."""
    if mode == "none":
        return None, None
    from ..transformer import load_transformer

    if mode == "retrain":
        from .train_transformer import train_transformer

        train_transformer(data_dir, transformer_dir, version, seed=seed)
        load_transformer.cache_clear()
        return load_transformer(transformer_dir), TRANSFORMER_FOLDER
    if transformer_dir.resolve() != TRANSFORMER_DIR.resolve():
        shutil.copytree(TRANSFORMER_DIR, transformer_dir, dirs_exist_ok=True)
    # The recorded logits, not this CPU's (see stored_logits.py).
    return (ReplayedTransformer(load_transformer(TRANSFORMER_DIR),
                                LogitTable.load(TRANSFORMER_DIR)), TRANSFORMER_FOLDER)


def scored_texts(data_dir: Path) -> list[str]:
    """Every post training runs the transformer on: the shared data's dev and test splits,
    the written posts and the probes. ``train_transformer`` records their logits."""
    isca, _ = load_isca(data_dir)
    texts = [e.text for e in isca + load_hatexplain(data_dir) if e.split != "train"]
    texts += [e.text for e in load_written(WRITTEN_DEV)]
    texts += [p.text for p in load_written_train()]
    if PROBES.exists():
        texts += [text for text, *_ in read_labelled_csv(PROBES, "text", "label", "kind")]
    return texts


@dataclass
class FittedStages:
    """Everything fitted on a train and a dev set, and what it did on dev."""

    ngram: NgramClassifier
    scorer: object | None  # the transformer, if any
    lexicon: Lexicon
    floors: dict[str, float]
    relevance: dict  # the relevance gate's dev counts and the score cleared posts get
    threshold: float
    combiner: Combiner
    transformer_gate: TransformerGate | None
    transformer_gate_report: dict | None
    dev_reports: dict[str, EvalReport]
    dev_analyses: list[Analysis]
    dev_scores: np.ndarray  # out of fold, as the shipped detector gives them
    claims: ClaimStage | None = None  # trope × stance, fitted after the rest

    def with_claims(self, scores: np.ndarray, analyses: Sequence[Analysis]) -> np.ndarray:
        """``scores`` once the claim stage has read the posts it reads."""
        if self.claims is None:
            return scores
        return np.array([with_claims(float(score), reading, a.relevant, self.claims.rule)
                         for score, reading, a in zip(scores, self.claims.read(analyses),
                                                      analyses, strict=True)])

    def analyse(self, texts: Sequence[str]) -> list[Analysis]:
        """Every stage but the transformer, which ``scores`` runs where the gate asks."""
        return analyse(texts, self.ngram, None, self.lexicon)

    def scores(self, analyses: Sequence[Analysis]) -> np.ndarray:
        """Scores as the shipped detector gives them, by the detector's own code."""
        scores = cascade_scores(analyses, self.combiner, self.transformer_gate, self.scorer)
        return self.with_claims(
            _shipped_scores(scores, analyses, self.floors, self.relevance["cleared_score"]),
            analyses)


# Training posts written for trope × stance (minimal sets: an assertion beside the same
# words rejecting, reporting or quoting it) join the training of the n-gram model and the
# transformer as this group, at weight 1.
WRITTEN_GROUP = "written"


def fit_stages(train_rows: Sequence[Example], dev: Sequence[Example], scorer, lexicon: Lexicon,
               seed: int) -> FittedStages:
    """Fit the n-gram model and floors on train, then the combiner, threshold and gates on
    dev (out of fold, so the dev figures are honest)."""
    ngram = NgramClassifier.fit(
        [prepare_for_ngrams(normalize(e.text)) for e in train_rows],
        [e.label for e in train_rows], _weights(train_rows))
    # Floors are shares of antisemitic posts among a term's uses, so they come from posts
    # as found: the written minimal sets place four posts that refute, report or merely
    # mention a term beside each one asserting it, which would pull every floor down.
    found = [e for e in train_rows if e.group != WRITTEN_GROUP]
    floors = estimate_floors(
        (e.id for e in lexicon.entries if e.strength == "explicit"),
        ((_uncontested(e.text, lexicon), e.label, weight)
         for e, weight in zip(found, _weights(found), strict=True)))

    dev_analyses = analyse([e.text for e in dev], ngram, scorer, lexicon)
    dev_rows = [a.features for a in dev_analyses]
    dev_labels, dev_weights = np.array([e.label for e in dev]), _weights(dev)
    relevance = _relevance_gate(dev, dev_analyses)

    def shipped(scores: np.ndarray) -> np.ndarray:
        return _shipped_scores(scores, dev_analyses, floors, relevance["cleared_score"])

    full_oof = _out_of_fold(dev_rows, dev_labels, dev_weights, seed)
    isca_dev = np.array([not e.group.startswith("hatexplain") for e in dev])
    threshold = _best_threshold(shipped(full_oof)[isca_dev], dev_labels[isca_dev])
    transformer_gate, gate_report, oof = None, None, full_oof
    if scorer is not None:
        transformer_gate, gate_report, oof = _fit_transformer_gate(
            dev_rows, dev_labels, dev_weights, full_oof,
            np.array([a.relevant for a in dev_analyses]), seed,
            lambda scores: shipped(scores) >= threshold)
    oof = shipped(oof)
    dev_reports = held_out_reports(dev, oof, threshold, "dev split, out-of-fold combiner "
                                   "scores (the threshold was chosen here)", dev_analyses)
    return FittedStages(ngram, scorer, lexicon, floors, relevance, threshold,
                        fit_combiner(dev_rows, dev_labels, dev_weights), transformer_gate,
                        gate_report, dev_reports, dev_analyses, oof)


PROBES = Path(__file__).parents[3] / "probes" / "probes.csv"


def report_set_keys() -> frozenset[str]:
    """De-duplication keys of the written report sets (the written dev set and, in a
    checkout, the probes): a training post with one of them is left out."""
    keys = {e.key for e in load_written(WRITTEN_DEV)}
    if PROBES.exists():
        keys |= {dedup_key(text) for text, *_ in read_labelled_csv(PROBES, "text", "label",
                                                                    "kind")}
    return frozenset(keys)


def written_examples() -> list[Example]:
    """The written training posts (``data/written/train/``, six writers) as examples, none
    sharing a key with a report set."""
    return [Example(p.text, p.label, WRITTEN_GROUP, "", dedup_key(p.text))
            for p in load_written_train(exclude_keys=report_set_keys())]


def fit_claims(fitted: FittedStages, dev: Sequence[Example]) -> dict:
    """Fit trope × stance (train_claims.py) on top of the fitted cascade, install it on
    ``fitted`` and return what the bundle records of it."""
    reader = ClaimReader.load()
    written = load_written_train(exclude_keys=report_set_keys())
    written_analyses = fitted.analyse([p.text for p in written])
    written_base = fitted.scores(written_analyses)
    isca = [i for i, e in enumerate(dev) if not e.group.startswith("hatexplain")]
    isca_analyses = [fitted.dev_analyses[i] for i in isca]
    stance, rule, selection = fit_claim_stage(
        written, reader.inputs(written_analyses), written_base,
        np.array([a.relevant for a in written_analyses]),
        reader.inputs(isca_analyses), fitted.dev_scores[isca],
        np.array([a.relevant for a in isca_analyses]), np.array([dev[i].label for i in isca]),
        fitted.threshold)
    fitted.claims = ClaimStage(reader, stance, rule)
    fitted.dev_scores = fitted.with_claims(fitted.dev_scores, fitted.dev_analyses)
    fitted.dev_reports = held_out_reports(
        dev, fitted.dev_scores, fitted.threshold, "dev split, out-of-fold combiner scores "
        "(the threshold was chosen here), with trope × stance", fitted.dev_analyses)
    return {"bank_version": reader.bank.version,
            "encoder_sha256": file_sha256(ENCODER_DIR / "model.onnx"),
            "rule": rule.to_json(), "selection": selection}


def train(data_dir: Path, output_dir: Path | None = None, seed: int = 13,
          transformer: str = "reuse", version: str | None = None,
          claims: bool = False) -> TrainReport:
    """Rebuild the bundle into ``output_dir`` (see the module's docstring). ``transformer``
    is ``reuse`` (the shipped fine-tuned model), ``retrain`` (fine-tune it again first: slow
    on a CPU) or ``none``; ``claims`` adds trope × stance (``fit_claims``)."""
    version = version or next_version(shipped_version(), dt.date.today())
    if not VERSION_FORMAT.fullmatch(version):
        raise ValueError(f"version {version!r} is not of the form YEAR.MONTH.N, e.g. 2026.12.1")
    root = output_root(output_dir, version)
    output_dir = root / DETECTOR_DIR.name
    isca, conflicting = load_isca(data_dir)
    hatexplain = load_hatexplain(data_dir)
    split = {name: [e for e in isca + hatexplain if e.split == name] for name in SPLIT_BUCKETS}
    scorer, transformer_name = _resolve_transformer(
        data_dir, transformer, seed, root / TRANSFORMER_FOLDER, version)
    lexicon = load_lexicon()
    written = written_examples()
    fitted = fit_stages(split["train"] + written, split["dev"], scorer, lexicon, seed)
    claims_meta = fit_claims(fitted, split["dev"]) if claims else None
    ngram, combiner, transformer_gate = fitted.ngram, fitted.combiner, fitted.transformer_gate
    dev_reports = fitted.dev_reports
    dev_report = dev_reports["isca"]

    test = split["test"]
    test_analyses = fitted.analyse([e.text for e in test])
    test_reports = held_out_reports(test, fitted.scores(test_analyses), fitted.threshold,
                                    "test split: never trained or tuned on", test_analyses)
    test_report = test_reports["isca"]
    written_dev = load_written(WRITTEN_DEV)
    written_scores = fitted.scores(fitted.analyse([e.text for e in written_dev]))
    written_report = report(
        written_dev, written_scores.tolist(), (written_scores >= fitted.threshold).tolist(),
        "posts written for tropewatch as a dev set (data/written/dev.csv), by kind")

    output_dir.mkdir(parents=True, exist_ok=True)
    ngram.save(output_dir / "ngram.npz")
    if fitted.claims is not None:
        fitted.claims.stance.save(output_dir / "stance.npz")
    meta = {
        "name": "tropewatch", "version": version, "created": dt.date.today().isoformat(),
        "seed": seed, "threshold": fitted.threshold, "combiner": combiner.to_json(),
        "explicit_floors": fitted.floors, "relevance_gate": fitted.relevance,
        "transformer": transformer_name,
        **({"claims": claims_meta} if claims_meta else {}),
        "claim_naming": naming_meta(),
        **({"transformer_gate": transformer_gate.to_json()
            | {"dev": fitted.transformer_gate_report}} if transformer_gate else {}),
        "ngram": {"word": {k: str(v) for k, v in WORD_PARAMS.items()},
                  "char": {k: str(v) for k, v in CHAR_PARAMS.items()},
                  "sha256": hashlib.sha256((output_dir / "ngram.npz").read_bytes()).hexdigest()},
        "lexicon_version": lexicon.version, "taxonomy_version": load_taxonomy().version,
        "training_data": {
            "isca": {"file": str(ISCA_RELATIVE), "licence": "CC BY 4.0", "citation": CITATION},
            "hatexplain": {"file": str(HATEXPLAIN_RELATIVE), "licence": "MIT",
                           "citation": "Mathew et al., HateXplain, AAAI 2021",
                           "weight": HATEXPLAIN_WEIGHT,
                           "weight_aimed_at_jews": HATEXPLAIN_JEWISH_WEIGHT},
            "written": {"folder": "tropewatch/detector/data/written/train",
                        "posts": len(written), "weight": training_weight(written[0]),
                        "stages": ["n-gram model", "transformer"]},
        },
        "training_data_sha256": {
            "isca": file_sha256(data_dir / ISCA_RELATIVE),
            **({"hatexplain": file_sha256(data_dir / HATEXPLAIN_RELATIVE)}
               if (data_dir / HATEXPLAIN_RELATIVE).exists() else {}),
        },
        "split": {
            "method": "texts reduced to a key (handles, links, case, punctuation removed); "
                      f"{conflicting} ISCA keys with conflicting labels dropped; each key's "
                      "sha256 picks its split: 70% train, 15% dev, 15% test",
            "sizes": {name: len(rows) for name, rows in split.items()},
        },
        "metrics": {"dev_out_of_fold": dev_report.to_json(),
                    **{f"dev_out_of_fold_{name}": r.to_json()
                       for name, r in dev_reports.items() if name != "isca"},
                    **{f"test_{name}": r.to_json() for name, r in test_reports.items()},
                    "dev_written": written_report.to_json()},
        "intended_use": "Assisting human moderators to find posts for review; never automatic "
                        "sanctions.",
        "limitations": "English only; mostly Twitter data from 2019-2023 sampled by four "
                       "keywords; labels follow the IHRA Working Definition as applied by ISCA's "
                       "annotators.",
    }
    (output_dir / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    return TrainReport(root, dev_report, test_report, meta)
