"""Reading the detector's YAML data files with errors a data editor can act on.

The taxonomy and the counter-speech cues are edited by people who may not read Python, so every
problem is reported as ``<file>: <field path>: <what is wrong>``, e.g.
``taxonomy.yaml: categories[3].ihra_example: 12 is greater than the maximum of 11``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from jsonschema.exceptions import best_match


class DataFileError(ValueError):
    """A data file is unreadable or invalid; names the file and the offending field."""

    def __init__(self, path: Path, field_path: str, problem: str) -> None:
        self.path = path
        self.field_path = field_path
        self.problem = problem
        super().__init__(f"{path}: {field_path}: {problem}")


def load_validated_yaml(
    path: Path, schema: dict[str, Any], error: type[DataFileError] = DataFileError
) -> Any:
    """Parse `path` and check it against `schema`, raising `error` on the first problem."""
    data = _read_yaml(path, error)
    problems = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    if problems:
        worst = best_match(problems)
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise error(path, field_path(worst.absolute_path), worst.message + more)
    return data


def field_path(parts: Iterable[str | int]) -> str:
    """Render a path into the data as ``categories[3].ihra_example``."""
    rendered = ""
    for part in parts:
        if isinstance(part, int):
            rendered += f"[{part}]"
        else:
            rendered += f".{part}" if rendered else part
    return rendered or "<root>"


def _read_yaml(path: Path, error: type[DataFileError]) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except OSError as exc:
        raise error(path, "<file>", f"cannot read: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "<file>"
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(path, where, f"invalid YAML: {problem}") from exc
