"""Where live connectors remember how far they got, so a restart carries on from there.

A connector only needs ``get``/``set`` of one string per key; what the string means (a Jetstream
``time_us``, a Mastodon status id, a search timestamp) is the connector's business. The Django
layer keeps cursors in its own table; ``FileCursorStore`` serves the CLI and the tests.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Protocol


class CursorStore(Protocol):
    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str) -> None: ...


class CursorFileError(Exception):
    """The cursor file exists but cannot be used; the message names the file."""


class FileCursorStore:
    """All cursors in one JSON object on disk.

    Every ``set`` rewrites the file through a temporary file and ``os.replace``, so a process
    killed mid-write leaves either the old or the new cursors, never a torn file. Meant for one
    process: two processes writing different keys at once could each drop the other's change.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._read().get(key)

    def set(self, key: str, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError(f"cursor {key!r} must be a string, not {type(value).__name__}")
        with self._lock:
            cursors = self._read()
            cursors[key] = value
            self._write(cursors)

    def _read(self) -> dict[str, str]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as exc:
            raise CursorFileError(f"{self.path}: cannot read cursor file: {exc}") from exc
        try:
            cursors = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CursorFileError(
                f"{self.path}: line {exc.lineno}: cursor file is not valid JSON: {exc.msg}"
            ) from exc
        if not isinstance(cursors, dict) or not all(
            isinstance(value, str) for value in cursors.values()
        ):
            raise CursorFileError(f"{self.path}: cursor file must be a JSON object of strings")
        return cursors

    def _write(self, cursors: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(cursors, stream, indent=1, sort_keys=True)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
