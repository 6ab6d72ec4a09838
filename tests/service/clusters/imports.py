"""Writing generated campaign posts as a JSON Lines export and importing it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tropewatch.imports.services import run_import

from .campaigns import Generated

EPOCH = datetime(2024, 5, 1, tzinfo=UTC)


def write_jsonl(path: Path, generated: list[Generated]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for number, item in enumerate(generated):
            out.write(json.dumps({
                "id": f"c{number}", "text": item.text, "author": f"author{number % 300}",
                "created_at": (EPOCH + timedelta(minutes=number)).isoformat(),
            }) + "\n")
    return path


def import_jsonl(org, source, path: Path, batch_size: int = 500):
    return run_import(org, source, path, "jsonl", batch_size=batch_size)
