"""The tropewatch detector: a plain library, no web framework.

    >>> from tropewatch.detector import detect
    >>> verdict = detect("some post", policy="ihra")
    >>> verdict.antisemitic, verdict.score, verdict.categories, verdict.spans

The names below load on first use, so that importing a light module of the package
(``tropewatch.detector.policy`` for the policy names, say) loads no model or numpy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .pipeline import detect, detect_batch, load_detector, model_version
    from .policy import POLICIES
    from .verdict import CategoryScore, Span, Verdict

_WHERE = {
    "detect": "pipeline",
    "detect_batch": "pipeline",
    "load_detector": "pipeline",
    "model_version": "pipeline",
    "POLICIES": "policy",
    "CategoryScore": "verdict",
    "Span": "verdict",
    "Verdict": "verdict",
}

__all__ = ["POLICIES", "CategoryScore", "Span", "Verdict", "detect", "detect_batch",
           "load_detector", "model_version"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value
