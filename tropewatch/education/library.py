"""The education library: one page per taxonomy category, built from ``taxonomy.yaml`` alone.

The console and the static export show the same pages; only where a link points differs (a
console URL, or a file beside the page), so the pages are built here once and each caller says
how to link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tropewatch.detector.taxonomy import Category, load_taxonomy

# How the Jerusalem Declaration treats a category, in words for the public.
JDA_LABELS = {
    "antisemitic": "Antisemitic under the Jerusalem Declaration too",
    "contextual": "The Jerusalem Declaration leaves it to context",
    "not_per_se": "Not antisemitic in itself under the Jerusalem Declaration",
}


@dataclass(frozen=True, slots=True)
class Page:
    category: Category
    href: str
    ihra_text: str  # the IHRA example the category falls under, quoted; "" for none
    jda_label: str


def pages(href: Callable[[str], str]) -> list[Page]:
    """Every category's page in taxonomy order; ``href(category_id)`` says where each lives."""
    taxonomy = load_taxonomy()
    examples = {example.number: example.text for example in taxonomy.ihra_examples}
    return [
        Page(category, href(category.id), examples.get(category.ihra_example, ""),
             JDA_LABELS[category.jda.treatment])
        for category in taxonomy.categories
    ]


def page(category_id: str, href: Callable[[str], str]) -> Page:
    """One category's page; KeyError for a category the taxonomy does not have."""
    load_taxonomy().category(category_id)  # raises KeyError naming the known ids
    return next(p for p in pages(href) if p.category.id == category_id)
