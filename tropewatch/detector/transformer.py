"""The fine-tuned MiniLM stage: scores posts with an int8 ONNX model, no torch.

The artifact folder (written by ``train_transformer``) holds ``model.onnx``,
``tokenizer.json`` and ``meta.json``. Training and inference share ``tokenize``
and ``pad_encodings`` below, so a post is normalised, masked and tokenised the same way
in both.

Each post runs through the model on its own, never in a padded batch. The model's
int8 dynamic quantisation takes its activation ranges from the whole input
tensor, so in a batch a post's score moved with its batch-mates (by up to 0.16 in
probability on the dev split). Alone, a post's score depends on nothing but its
text; unpadded, no compute is spent on padding, and running posts in parallel on
single-threaded sessions kept two cores busier than one two-threaded session did.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from .bundle import TRANSFORMER_DIR
from .normalize import mask_identifiers, normalize

MODEL_NAME = "minilm-isca"

# Texts tokenised at a time: bounds memory on large inputs.
_TOKENIZE_CHUNK = 1024


def load_tokenizer(path: Path):
    from tokenizers import Tokenizer

    if not path.exists():
        raise FileNotFoundError(f"{path} not found: the transformer artifact is incomplete")
    return Tokenizer.from_file(str(path))


def tokenize(tokenizer, texts: Sequence[str]) -> list:
    """Token encodings of texts as the model reads them (``model_text``). The tokenizer
    truncates; it does not pad."""
    return tokenizer.encode_batch([model_text(text) for text in texts])


def model_text(text: str) -> str:
    """The post with its evasions undone by the detector's normaliser, so that "J.e.w.s"
    or a Cyrillic "е" reads as the word it disguises (the model's tokenizer lower-cases
    anyway), and with links and handles masked, so the model never sees who posted or was
    addressed."""
    return mask_identifiers(normalize(text).text)


def pad_encodings(encodings: Sequence) -> tuple[np.ndarray, np.ndarray]:
    """Token ids and attention mask, padded to the longest encoding given.

    Padding per batch (not to a fixed 128) keeps batches of short posts short.
    """
    longest = max((len(e.ids) for e in encodings), default=0)
    input_ids = np.zeros((len(encodings), longest), dtype=np.int64)  # 0 is [PAD]
    attention_mask = np.zeros((len(encodings), longest), dtype=np.int64)
    for row, encoding in enumerate(encodings):
        input_ids[row, : len(encoding.ids)] = encoding.ids
        attention_mask[row, : len(encoding.ids)] = 1
    return input_ids, attention_mask


def sigmoid(logits: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-logits))


class PendingLogits:
    """Logits being computed on a scorer's worker threads."""

    def __init__(self, futures: list[Future]) -> None:
        self._futures = futures

    def result(self) -> np.ndarray:
        """The logits in input order, once all are done."""
        return np.array([future.result() for future in self._futures], dtype=np.float64)


class TransformerScorer:
    """P(antisemitic) for posts, from an artifact folder written by ``train_transformer``."""

    def __init__(self, model_dir: Path, threads: int = 2) -> None:
        import onnxruntime as ort

        if threads < 1:
            raise ValueError(f"threads must be at least 1, got {threads}")
        self.model_dir = Path(model_dir)
        model_path = self.model_dir / "model.onnx"
        if not model_path.exists():
            raise FileNotFoundError(f"{model_path} not found: train the transformer first")
        self.tokenizer = load_tokenizer(self.model_dir / "tokenizer.json")
        options = ort.SessionOptions()
        # Parallelism comes from running `threads` posts at once (see the module
        # docstring), so each run stays on one thread.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )
        # onnxruntime releases the GIL while it runs, so these threads run posts in parallel.
        self._workers = ThreadPoolExecutor(threads, thread_name_prefix="transformer")

    @functools.cached_property
    def meta(self) -> dict[str, Any]:
        path = self.model_dir / "meta.json"
        return json.loads(path.read_text(encoding="utf-8"))

    def _logit(self, encoding) -> float:
        input_ids, attention_mask = pad_encodings([encoding])
        (logits,) = self.session.run(
            None, {"input_ids": input_ids, "attention_mask": attention_mask})
        return float(logits[0])

    def submit_logits(self, texts: Sequence[str],
                      model_texts: Sequence[str] | None = None) -> PendingLogits:
        """Start scoring texts on the worker threads and return at once, so the caller can
        do other work (the detector runs the cheap stages of its next batch) meanwhile.
        ``model_texts``, where the caller has them, are the texts as ``model_text`` gives
        them: the detector's n-gram stage reads the same, and normalising each post again
        cost 55 µs of the 5 ms a post the transformer takes."""
        encodings = (tokenize(self.tokenizer, texts) if model_texts is None
                     else self.tokenizer.encode_batch(list(model_texts)))
        return PendingLogits([self._workers.submit(self._logit, encoding)
                              for encoding in encodings])

    def predict_logits(self, texts: Sequence[str]) -> np.ndarray:
        """One logit per text, in input order; each depends only on its own text."""
        logits = np.empty(len(texts), dtype=np.float64)
        for start in range(0, len(texts), _TOKENIZE_CHUNK):
            chunk = texts[start : start + _TOKENIZE_CHUNK]
            logits[start : start + len(chunk)] = self.submit_logits(chunk).result()
        return logits

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """P(antisemitic) per text, in input order."""
        return sigmoid(self.predict_logits(texts))


@functools.lru_cache(maxsize=4)
def load_transformer(path: Path | None = None, threads: int = 2) -> TransformerScorer:
    """The shipped (or given) transformer, loaded once per process."""
    return TransformerScorer(Path(path) if path else TRANSFORMER_DIR, threads)
