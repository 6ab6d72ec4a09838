"""The tropewatch detector: a plain library, no web framework.

    >>> from tropewatch.detector import detect
    >>> verdict = detect("some post", policy="ihra")
    >>> verdict.antisemitic, verdict.score, verdict.categories, verdict.spans
"""

from .pipeline import detect, detect_batch, load_detector, model_version
from .policy import POLICIES
from .verdict import CategoryScore, Span, Verdict

__all__ = ["POLICIES", "CategoryScore", "Span", "Verdict", "detect", "detect_batch",
           "load_detector", "model_version"]
