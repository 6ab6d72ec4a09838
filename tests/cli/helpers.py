"""What the command-line tests share: a CliRunner and ways to read what a command printed."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

runner = CliRunner()

# The keys of one verdict record that `tropewatch scan` writes, in order.
VERDICT_RECORD_KEYS = [
    "id",
    "antisemitic",
    "score",
    "categories",
    "spans",
    "counter_speech",
    "explanation",
    "policy",
    "model_version",
    "claim",
    "read_chars",
]


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def write_csv(tmp_path: Path, content: str, name: str = "posts.csv") -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


def flat(text: str) -> str:
    """Rich wraps long lines; compare text with all runs of whitespace made single spaces."""
    return " ".join(text.split())
