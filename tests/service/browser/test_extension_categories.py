"""The extension's category list (extension/categories.json) is the taxonomy's: the extension
has no build step and fetches nothing, so it ships a copy, and this test fails when the copy
goes stale. Regenerate it with:

    PYTHONPATH=$PWD .venv/bin/python -m tests.service.browser.test_extension_categories
"""

from __future__ import annotations

import json
from pathlib import Path

from tropewatch.detector.taxonomy import load_taxonomy

CATEGORIES_JSON = Path(__file__).resolve().parents[3] / "extension" / "categories.json"


def categories_document() -> str:
    """What extension/categories.json must hold: the taxonomy's version, and each category's
    id and name in the taxonomy's order (the order the popup lists them in)."""
    taxonomy = load_taxonomy()
    document = {
        "generated_from": "tropewatch/detector/data/taxonomy.yaml",
        "taxonomy_version": taxonomy.version,
        "categories": [{"id": c.id, "name": c.name} for c in taxonomy.categories],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def test_the_extension_lists_the_taxonomy_categories():
    assert CATEGORIES_JSON.read_text(encoding="utf-8") == categories_document(), (
        "extension/categories.json is stale: regenerate it (see this module's docstring)"
    )


if __name__ == "__main__":
    CATEGORIES_JSON.write_text(categories_document(), encoding="utf-8")
    print(f"wrote {CATEGORIES_JSON}")
