"""Export all-MiniLM-L6-v2, as it was published, to the int8 ONNX sentence encoder that the
claim stage (``claims.py``) and the stance stage (``stance.py``) read: one post or sentence
in, one unit-length 384-dimensional embedding out.

It is not fine-tuned. The fine-tuned transformer's own embeddings no longer keep apart
paraphrases of different claims (fine-tuning to one yes/no collapsed them), while the
published sentence model was trained for exactly that: matching a paraphrase to its claim.
Run once when the encoder changes (``python -m tropewatch.detector.training.export_encoder``);
the output folder is fixed, so it replaces files instead of adding a folder.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

from ..bundle import ENCODER_DIR
from .evaluate import file_sha256
from .train_transformer import (
    BASE_MODEL,
    BASE_MODEL_PACKAGE,
    ONNX_OPSET,
    WEIGHT_BITS,
    apache_license_text,
    base_model_dir,
    quantize,
    write_tokenizer,
)

# Sentences and short posts: 128 tokens holds nearly every sentence a post is split into.
MAX_LENGTH = 128


def _sentence_model(encoder):
    """MiniLM, mean pooling and L2 normalisation: the published sentence model's recipe."""
    import torch

    class SentenceEmbedding(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    return SentenceEmbedding().eval()


def _license_notice() -> str:
    apache = apache_license_text()
    return f"""minilm-sentence: model weights notice

model.onnx is {BASE_MODEL} (Apache License 2.0; Copyright the sentence-transformers
authors, built on Microsoft's MiniLM-L6-H384-uncased, Apache License 2.0), not
fine-tuned. Modifications: mean pooling and L2 normalisation were made part of the graph,
which was exported to ONNX and quantised to int8. tokenizer.json is the base model's
tokenizer with padding turned off. BASE-MODEL-README.md is the base model's own card.
The Apache License 2.0 text follows.

{apache}"""


def export_encoder(output_dir: Path = ENCODER_DIR) -> dict:
    import torch
    from transformers import AutoModel

    base = base_model_dir()
    output_dir.mkdir(parents=True, exist_ok=True)
    write_tokenizer(base, output_dir / "tokenizer.json", MAX_LENGTH)
    model = _sentence_model(AutoModel.from_pretrained(str(base)))
    sample = torch.tensor([[101, 1037, 7099, 2695, 102]])
    with tempfile.TemporaryDirectory() as scratch:
        fp32 = Path(scratch) / "fp32.onnx"
        torch.onnx.export(
            model, (sample, torch.ones_like(sample)), str(fp32),
            input_names=["input_ids", "attention_mask"], output_names=["embedding"],
            dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                          "attention_mask": {0: "batch", 1: "sequence"},
                          "embedding": {0: "batch"}},
            opset_version=ONNX_OPSET, do_constant_folding=True, dynamo=False,
        )
        quantize(fp32, output_dir / "model.onnx")
    shutil.copy(base / "README.md", output_dir / "BASE-MODEL-README.md")
    (output_dir / "LICENSE-NOTICE.txt").write_text(_license_notice(), encoding="utf-8")
    meta = {
        "name": "minilm-sentence",
        "date": dt.date.today().isoformat(),
        "model_sha256": file_sha256(output_dir / "model.onnx"),
        "base_model": {"name": BASE_MODEL, "licence": "Apache-2.0",
                       "source": f"{BASE_MODEL_PACKAGE} {metadata.version(BASE_MODEL_PACKAGE)}"},
        "architecture": "BERT encoder (6 layers, 384 hidden), mean pooling, L2 normalised; "
                        "output `embedding`; not fine-tuned",
        "max_length": MAX_LENGTH,
        "onnx": {"opset": ONNX_OPSET,
                 "quantisation": "onnxruntime quantize_dynamic, per-channel int8 weights "
                                 f"limited to {WEIGHT_BITS} bits (QInt8, reduce_range)"},
        "torch": metadata.version("torch"),
        "onnxruntime": metadata.version("onnxruntime"),
    }
    (output_dir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


if __name__ == "__main__":
    print(json.dumps(export_encoder(), indent=2))
