"""The taxonomy of antisemitism: categories, their IHRA and JDA treatment, and what counts where.

The taxonomy is data (``data/taxonomy.yaml``) so that campaigners can correct an explainer or a
JDA judgement without touching code. Because verdicts and reports are built from it, a broken file
must fail loudly at load time, naming the file and the field, rather than produce quietly wrong
verdicts later: the YAML is checked against ``TAXONOMY_SCHEMA`` and then against the cross-field
rules a schema cannot express (unique ids, all eleven IHRA examples present and covered).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .datafile import DataFileError, load_validated_yaml
from .policy import POLICIES, check_policy

DEFAULT_TAXONOMY_PATH = Path(__file__).parent / "data" / "taxonomy.yaml"

JDA_TREATMENTS = ("antisemitic", "contextual", "not_per_se")
IHRA_EXAMPLE_NUMBERS = range(1, 12)

_TEXT = {"type": "string", "minLength": 1}

TAXONOMY_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "ihra_examples", "categories"],
    "additionalProperties": False,
    "properties": {
        # A calendar version such as 2026.11.1; quoted or not, YAML reads it as a string.
        "version": {"type": "string", "pattern": r"^\d{4}\.\d{1,2}\.\d+$"},
        "ihra_examples": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["number", "text", "contested_2018"],
                "additionalProperties": False,
                "properties": {
                    "number": {
                        "type": "integer",
                        "minimum": IHRA_EXAMPLE_NUMBERS.start,
                        "maximum": IHRA_EXAMPLE_NUMBERS.stop - 1,
                    },
                    "text": _TEXT,
                    "contested_2018": {"type": "boolean"},
                },
            },
        },
        "categories": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": [
                    "id",
                    "name",
                    "family",
                    "description",
                    "ihra_example",
                    "jda",
                    "explainer",
                    "history",
                    "today",
                    "invented_examples",
                    "sources",
                    "counts_under",
                ],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$"},
                    "name": _TEXT,
                    "family": {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$"},
                    "description": _TEXT,
                    "ihra_example": {
                        "type": ["integer", "null"],
                        "minimum": IHRA_EXAMPLE_NUMBERS.start,
                        "maximum": IHRA_EXAMPLE_NUMBERS.stop - 1,
                    },
                    "jda": {
                        "type": "object",
                        "required": ["treatment", "note"],
                        "additionalProperties": False,
                        "properties": {
                            "treatment": {"enum": list(JDA_TREATMENTS)},
                            "note": _TEXT,
                        },
                    },
                    "explainer": _TEXT,
                    "history": _TEXT,
                    "today": _TEXT,
                    # Made up for teaching, never a real person's post: the education pages
                    # label them so, and quoting real posts would re-publish the abuse.
                    "invented_examples": {"type": "array", "minItems": 1, "items": _TEXT},
                    "sources": {"type": "array", "minItems": 1, "items": _TEXT},
                    "counts_under": {
                        "type": "array",
                        "uniqueItems": True,
                        "items": {"enum": list(POLICIES)},
                    },
                },
            },
        },
    },
}


class TaxonomyError(DataFileError):
    """The taxonomy file is unreadable or invalid; names the file and the offending field."""


@dataclass(frozen=True, slots=True)
class IhraExample:
    number: int
    text: str
    contested_2018: bool  # one of the examples the UK Labour Party rewrote in its 2018 code


@dataclass(frozen=True, slots=True)
class JdaTreatment:
    treatment: str  # one of JDA_TREATMENTS
    note: str  # which JDA guidelines apply, and why the category does or does not count


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    name: str
    family: str
    description: str
    ihra_example: int | None
    jda: JdaTreatment
    explainer: str  # for volunteers: why this is antisemitic, in plain words
    history: str
    today: str  # how the trope shows up online now
    invented_examples: tuple[str, ...]  # made up for teaching, never real posts
    sources: tuple[str, ...]
    counts_under: frozenset[str]  # policies under which a match counts towards `antisemitic`


@dataclass(frozen=True, slots=True)
class Taxonomy:
    version: str
    ihra_examples: tuple[IhraExample, ...]
    categories: tuple[Category, ...]
    _by_id: dict[str, Category] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {c.id: c for c in self.categories})

    @property
    def ids(self) -> tuple[str, ...]:
        """Category ids in file order."""
        return tuple(self._by_id)

    def category(self, category_id: str) -> Category:
        try:
            return self._by_id[category_id]
        except KeyError:
            raise KeyError(
                f"unknown taxonomy category {category_id!r}; known: {', '.join(self._by_id)}"
            ) from None

    def counts_under(self, policy: str) -> frozenset[str]:
        """Ids of the categories that count towards `antisemitic` under `policy`."""
        check_policy(policy)
        return frozenset(c.id for c in self.categories if policy in c.counts_under)


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Load and validate a taxonomy file; the shipped one is read once and cached."""
    if path is None:
        return _load_default_taxonomy()
    return _load_taxonomy_file(Path(path))


@functools.lru_cache(maxsize=1)
def _load_default_taxonomy() -> Taxonomy:
    return _load_taxonomy_file(DEFAULT_TAXONOMY_PATH)


def _load_taxonomy_file(path: Path) -> Taxonomy:
    data = load_validated_yaml(path, TAXONOMY_SCHEMA, TaxonomyError)
    _check_cross_field_rules(path, data)
    return _build(data)


def _check_cross_field_rules(path: Path, data: dict[str, Any]) -> None:
    _check_unique(path, "ihra_examples", "number", data["ihra_examples"])
    missing = set(IHRA_EXAMPLE_NUMBERS) - {e["number"] for e in data["ihra_examples"]}
    if missing:
        raise TaxonomyError(path, "ihra_examples", f"missing IHRA examples {sorted(missing)}")

    _check_unique(path, "categories", "id", data["categories"])
    uncovered = set(IHRA_EXAMPLE_NUMBERS) - {c["ihra_example"] for c in data["categories"]}
    if uncovered:
        raise TaxonomyError(
            path, "categories", f"no category covers IHRA examples {sorted(uncovered)}"
        )


def _check_unique(path: Path, list_name: str, key: str, items: list[dict[str, Any]]) -> None:
    first_index: dict[Any, int] = {}
    for index, item in enumerate(items):
        value = item[key]
        if value in first_index:
            raise TaxonomyError(
                path,
                f"{list_name}[{index}].{key}",
                f"{value!r} already used by {list_name}[{first_index[value]}]",
            )
        first_index[value] = index


def _build(data: dict[str, Any]) -> Taxonomy:
    return Taxonomy(
        version=data["version"],
        ihra_examples=tuple(
            IhraExample(e["number"], e["text"], e["contested_2018"])
            for e in sorted(data["ihra_examples"], key=lambda e: e["number"])
        ),
        categories=tuple(
            Category(
                id=c["id"],
                name=c["name"],
                family=c["family"],
                description=c["description"],
                ihra_example=c["ihra_example"],
                jda=JdaTreatment(c["jda"]["treatment"], c["jda"]["note"]),
                explainer=c["explainer"],
                history=c["history"],
                today=c["today"],
                invented_examples=tuple(c["invented_examples"]),
                sources=tuple(c["sources"]),
                counts_under=frozenset(c["counts_under"]),
            )
            for c in data["categories"]
        ),
    )
