"""The transformer's logits, recorded once, so that training gives the same model on every CPU.

The int8 transformer's scores differ between CPUs in the third or fourth decimal: onnxruntime
picks other kernels for the float parts (layer norm, GELU, softmax) on a CPU with AVX-512
than on one with AVX2 only, and a tiny difference can move a dynamically quantised
activation by one step. The combiner and the threshold fitted on those scores then differed
too (threshold 0.35 on an AMD EPYC against 0.36 on the Intel Xeon that built the model).
So ``train_transformer`` records the logits of every post training scores (the shared data's
dev and test splits, the written posts and the probes) in ``scores.npz`` beside the model,
and ``tropewatch train --transformer reuse`` replays them: the inputs of every fitted stage
are then the same numbers on every CPU. ``tests/detector/test_transformer_cpu.py`` checks
that this CPU's live logits agree with the recorded ones.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

SCORES_FILE = "scores.npz"


def text_key(text: str) -> int:
    """A post's key in the table: the first eight bytes of its text's SHA-256."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


class LogitTable:
    def __init__(self, keys: np.ndarray, logits: np.ndarray) -> None:
        self.logits = dict(zip(keys.tolist(), logits.tolist(), strict=True))

    @classmethod
    def load(cls, transformer_dir: Path) -> LogitTable:
        with np.load(transformer_dir / SCORES_FILE) as data:
            return cls(data["keys"], data["logits"])

    def get(self, text: str) -> float | None:
        return self.logits.get(text_key(text))


def record_logits(scorer, texts: Sequence[str], transformer_dir: Path) -> int:
    """Score ``texts`` (duplicates once) and write the table; returns how many it holds."""
    unique = list(dict.fromkeys(texts))
    logits = scorer.predict_logits(unique).astype(np.float32)
    keys = np.array([text_key(text) for text in unique], dtype=np.uint64)
    np.savez_compressed(transformer_dir / SCORES_FILE, keys=keys, logits=logits)
    return len(unique)


class _Done:
    def __init__(self, logits: np.ndarray) -> None:
        self._logits = logits

    def result(self) -> np.ndarray:
        return self._logits


class ReplayedTransformer:
    """The transformer's interface for training: recorded logits where the table has the
    post, the live model's for any other (counted in ``live``)."""

    def __init__(self, scorer, table: LogitTable) -> None:
        self.scorer = scorer
        self.table = table
        self.live = 0

    def predict_logits(self, texts: Sequence[str]) -> np.ndarray:
        stored = [self.table.get(text) for text in texts]
        missing = [i for i, logit in enumerate(stored) if logit is None]
        logits = np.array([0.0 if logit is None else logit for logit in stored],
                          dtype=np.float64)
        if missing:
            self.live += len(missing)
            logits[missing] = self.scorer.predict_logits([texts[i] for i in missing])
        return logits

    def submit_logits(self, texts: Sequence[str],
                      model_texts: Sequence[str] | None = None) -> _Done:
        """Recorded logits are found by the post's text, so ``model_texts`` is not needed."""
        return _Done(self.predict_logits(texts))


if __name__ == "__main__":
    # Record the shipped transformer's logits again: python -m
    # tropewatch.detector.training.stored_logits [DATA_DIR] (default ../shared/data).
    import sys

    from ..bundle import TRANSFORMER_DIR
    from ..transformer import load_transformer
    from .train import scored_texts

    data = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
    print(record_logits(load_transformer(), scored_texts(data), TRANSFORMER_DIR), "logits")
