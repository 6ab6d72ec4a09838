"""Which trope's explainer a supporter is shown right after flagging a post, wherever they
flagged it (the API, the extension, the console's form)."""

from __future__ import annotations

from tropewatch.detector.taxonomy import Category, load_taxonomy
from tropewatch.posts.models import Detection


def explainer_for(detection: Detection | None, guess: str) -> Category | None:
    """The trope the detector found first, else the supporter's own guess."""
    taxonomy = load_taxonomy()
    found = [c.get("id") for c in detection.categories] if detection is not None else []
    for category_id in [*found, guess]:
        if category_id in taxonomy.ids:
            return taxonomy.category(category_id)
    return None
