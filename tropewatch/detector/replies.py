"""Suggested replies to a confirmed post: drafts in three tones, composed from data.

The templates are data (``data/replies.yaml``), one per taxonomy category and tone, so that
campaigners can reword them without touching code. Two rules are checked when the file loads,
because breaking either would put a wrong reply in front of a moderator: every taxonomy
category has all three tones, and no template contains a lexicon term (a reply must never
repeat a slur or a coded term). Composing is a pure function; as a last guard it leaves out any
sentence that contains the text of a span detected in the post, compared after normalisation
so that a spelling trick in the post cannot slip back in through a template.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .datafile import DataFileError, load_validated_yaml
from .lexicon import Lexicon, load_lexicon
from .normalize import normalize
from .taxonomy import Taxonomy, load_taxonomy

DEFAULT_REPLIES_PATH = Path(__file__).parent / "data" / "replies.yaml"

TONES = ("explain", "challenge", "support")
# The explain draft names at most this many categories: a reply is read on a phone.
MAX_EXPLAINED = 2

_TEXT = {"type": "string", "minLength": 1}
_TONE_TEXTS = {
    "type": "object",
    "required": list(TONES),
    "additionalProperties": False,
    "properties": {tone: _TEXT for tone in TONES},
}
REPLIES_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "tones", "categories"],
    "additionalProperties": False,
    "properties": {
        "version": {"type": "string", "pattern": r"^\d{4}\.\d{1,2}\.\d+$"},
        "tones": _TONE_TEXTS,
        "categories": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": r"^[a-z][a-z0-9_]*$"},
            "additionalProperties": _TONE_TEXTS,
        },
    },
}

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class RepliesError(DataFileError):
    """The replies file is unreadable or invalid; names the file and the offending field."""


@dataclass(frozen=True, slots=True)
class ReplyTemplates:
    version: str
    tone_labels: dict[str, str]
    by_category: dict[str, dict[str, str]]  # category id -> tone -> template


@dataclass(frozen=True, slots=True)
class Draft:
    tone: str  # one of TONES
    label: str  # the tone as a moderator reads it, e.g. "Challenge the poster"
    text: str


def load_replies(path: Path | None = None, taxonomy: Taxonomy | None = None,
                 lexicon: Lexicon | None = None) -> ReplyTemplates:
    """Load and check a replies file against the taxonomy and the lexicon; the shipped one is
    read once and cached."""
    if path is None and taxonomy is None and lexicon is None:
        return _load_default_replies()
    return _load(Path(path or DEFAULT_REPLIES_PATH), taxonomy or load_taxonomy(),
                 lexicon or load_lexicon())


@functools.lru_cache(maxsize=1)
def _load_default_replies() -> ReplyTemplates:
    return _load(DEFAULT_REPLIES_PATH, load_taxonomy(), load_lexicon())


def _load(path: Path, taxonomy: Taxonomy, lexicon: Lexicon) -> ReplyTemplates:
    data = load_validated_yaml(path, REPLIES_SCHEMA, RepliesError)
    categories = data["categories"]
    missing = [category_id for category_id in taxonomy.ids if category_id not in categories]
    if missing:
        raise RepliesError(path, "categories", f"no reply templates for {', '.join(missing)}")
    unknown = sorted(set(categories) - set(taxonomy.ids))
    if unknown:
        raise RepliesError(path, "categories", f"not taxonomy categories: {', '.join(unknown)}")
    for category_id, tones in categories.items():
        for tone, text in tones.items():
            found = lexicon.find(text)
            if found:
                raise RepliesError(path, f"categories.{category_id}.{tone}",
                                   f"repeats the lexicon term {found[0].term!r}")
    return ReplyTemplates(data["version"], dict(data["tones"]), categories)


def compose_replies(category_ids: Sequence[str], span_terms: Iterable[str],
                    templates: ReplyTemplates | None = None,
                    taxonomy: Taxonomy | None = None) -> list[Draft]:
    """Drafts in each tone for a post found to touch ``category_ids`` (most important first),
    none repeating any of ``span_terms``, the texts the detector matched in the post.

    Categories the taxonomy no longer knows are skipped; with none left there is nothing to
    say and no drafts. A draft whose every sentence repeats a span is left out."""
    templates = templates or load_replies()
    taxonomy = taxonomy or load_taxonomy()
    known = [c for c in dict.fromkeys(category_ids) if c in templates.by_category]
    if not known:
        return []
    forbidden = [t for t in (_folded(term) for term in span_terms) if t]
    drafts = []
    for tone in TONES:
        texts = [templates.by_category[known[0]][tone]]
        if tone == "explain":
            texts = [templates.by_category[c][tone] for c in known[:MAX_EXPLAINED]]
            texts.append(_definition_note(taxonomy, known[0]))
        text = _without(" ".join(texts), forbidden)
        if text:
            drafts.append(Draft(tone, templates.tone_labels[tone], text))
    return drafts


def offending_term(text: str, span_terms: Iterable[str],
                   lexicon: Lexicon | None = None) -> str | None:
    """What a reply a moderator edited must not say: the first of ``span_terms`` it repeats
    (compared as compose_replies does), else the first lexicon term it contains, in any
    spelling the matcher knows ("holo hoax"). None when the reply is clean."""
    folded = _folded(text)
    repeated = next((term for term in span_terms if _folded(term) and _folded(term) in folded),
                    None)
    if repeated is not None:
        return repeated
    found = (lexicon or load_lexicon()).find(text)
    return found[0].term if found else None


def _definition_note(taxonomy: Taxonomy, category_id: str) -> str:
    category = taxonomy.category(category_id)
    if category.ihra_example is None:
        return f"Read more about {category.name.lower()} and how to respond to it."
    return (f"The IHRA Working Definition of Antisemitism gives this as its example "
            f"{category.ihra_example}.")


def _folded(text: str) -> str:
    return " ".join(normalize(text).text.casefold().split())


def _without(text: str, forbidden: Sequence[str]) -> str:
    """``text`` less every sentence that contains one of the ``forbidden`` (folded) texts."""
    kept = " ".join(sentence for sentence in _SENTENCE_END.split(text)
                    if not any(term in _folded(sentence) for term in forbidden))
    # A span that runs across a sentence break could reappear where two sentences meet.
    return "" if any(term in _folded(kept) for term in forbidden) else kept
