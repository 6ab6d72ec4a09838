"""The sentence encoder: all-MiniLM-L6-v2 as published, int8 ONNX, no torch.

Texts run through the model one at a time, as in ``transformer.py``: int8 dynamic
quantisation takes its activation ranges from the whole input tensor, so in a padded batch a
text's embedding would move with its batch-mates. Alone it depends on its own text only.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from .bundle import ENCODER_DIR
from .transformer import load_tokenizer, model_text, pad_encodings

DIMENSIONS = 384


class SentenceEncoder:
    def __init__(self, model_dir: Path, threads: int = 2) -> None:
        import onnxruntime as ort

        model_path = Path(model_dir) / "model.onnx"
        if not model_path.exists():
            raise FileNotFoundError(f"{model_path} not found: the sentence encoder is missing")
        self.tokenizer = load_tokenizer(Path(model_dir) / "tokenizer.json")
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(model_path), options,
                                            providers=["CPUExecutionProvider"])
        self._workers = ThreadPoolExecutor(threads, thread_name_prefix="encoder")

    def _embed(self, encoding) -> np.ndarray:
        input_ids, attention_mask = pad_encodings([encoding])
        (embedding,) = self.session.run(
            None, {"input_ids": input_ids, "attention_mask": attention_mask})
        return embedding[0]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text, in input order (texts read as ``model_text``)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        encodings = self.tokenizer.encode_batch([model_text(text) for text in texts])
        return np.array(list(self._workers.map(self._embed, encodings)), dtype=np.float32)


@functools.lru_cache(maxsize=2)
def load_encoder(path: Path | None = None, threads: int = 2) -> SentenceEncoder:
    """The shipped sentence encoder, loaded once per process."""
    return SentenceEncoder(Path(path) if path else ENCODER_DIR, threads)
