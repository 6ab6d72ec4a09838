"""Counter-speech cues: does a post call antisemitism out rather than spread it?

Most posts that contain a slur or a conspiracy phrase are people reporting or condemning it, so
the detector needs evidence of the poster's stance, not just of the topic. The cue phrases live
in ``data/counter_speech.yaml``, grouped (condemnation, reporting, remembrance, ...), each group
with a weight. ``cue_features`` counts matches per group for the classifier;
``counter_speech_score`` turns the counts into a probability with a fixed logistic, documented in
the YAML, that the classifier can refine.

Two checks keep the counts honest: a cue preceded by a negation ("not antisemitic") counts as
dismissal instead, and a condemnation word aimed at Jews ("disgusting jews") is abuse, so it is
not counted at all.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .datafile import DataFileError, load_validated_yaml
from .normalize import NormalizedText, normalize

DEFAULT_CUES_PATH = Path(__file__).parent / "data" / "counter_speech.yaml"

# "anti-semitic", "anti semitism" -> "antisemitic", "antisemitism": one spelling in the YAML.
_ANTISEMIT_SPELLINGS = re.compile(r"\banti[\s\-\u2010-\u2015]*semit")
_CLAUSE_BREAK = re.compile(r"[.!?;:,\n]")
_CONTEXT_CHARS = 80  # enough for the few words the negation and target checks look at
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# "jews are (so) vile": a condemnation word after a target, a copula and intensifiers.
_COPULAS = frozenset({"are", "is", "r", "were", "was"})
_PREPOSITIONS = frozenset(
    {"on", "against", "of", "to", "at", "toward", "towards", "for", "with", "by", "about"}
)
_INTENSIFIERS = frozenset(
    {
        "so",
        "just",
        "truly",
        "really",
        "all",
        "fucking",
        "such",
        "very",
        "absolutely",
        "totally",
        "literally",
        "completely",
        "utterly",
    }
)

_TEXT = {"type": "string", "minLength": 1}
_NAME = {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$"}

CUES_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "scoring", "negation", "targets", "groups"],
    "additionalProperties": False,
    "properties": {
        "version": {"type": "string", "pattern": r"^\d{4}\.\d{1,2}\.\d+$"},
        "scoring": {
            "type": "object",
            "required": ["bias", "cap"],
            "additionalProperties": False,
            "properties": {"bias": {"type": "number"}, "cap": {"type": "number", "minimum": 1}},
        },
        "negation": {
            "type": "object",
            "required": ["words", "window", "counts_as"],
            "additionalProperties": False,
            "properties": {
                "words": {"type": "array", "minItems": 1, "items": _TEXT},
                "window": {"type": "integer", "minimum": 1},
                "counts_as": _NAME,
            },
        },
        "targets": {"type": "array", "minItems": 1, "items": _TEXT},
        "groups": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["name", "weight", "description"],
                "anyOf": [{"required": ["phrases"]}, {"required": ["patterns"]}],
                "additionalProperties": False,
                "properties": {
                    "name": _NAME,
                    "weight": {"type": "number"},
                    "description": _TEXT,
                    "negatable": {"type": "boolean"},
                    "skip_when_aimed_at_targets": {"type": "boolean"},
                    "phrases": {"type": "array", "minItems": 1, "items": _TEXT},
                    "patterns": {"type": "array", "minItems": 1, "items": _TEXT},
                },
            },
        },
    },
}


class CounterSpeechCueError(DataFileError):
    """The cue file is unreadable or invalid; names the file and the offending field."""


@dataclass(frozen=True, slots=True)
class CueGroup:
    name: str
    weight: float
    description: str
    regex: re.Pattern[str]  # every phrase and pattern of the group, longest phrases first
    negatable: bool
    skip_when_aimed_at_targets: bool


@dataclass(frozen=True, slots=True)
class CueSet:
    version: str
    bias: float
    cap: float
    groups: tuple[CueGroup, ...]  # in matching order
    negators: frozenset[str]
    negation_window: int
    negated_group: str  # where negated cues are counted
    targets: frozenset[str]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(group.name for group in self.groups)

    def features(self, text: str | NormalizedText) -> dict[str, float]:
        """Count cue matches per group; every group is present, in file order."""
        working = _ANTISEMIT_SPELLINGS.sub("antisemit", _normalized(text))
        counts = dict.fromkeys(self.names, 0.0)
        for group in self.groups:
            matched: list[tuple[int, int]] = []
            for match in group.regex.finditer(working):
                start, end = match.span()
                before = _clause_words_before(working, start)
                if group.skip_when_aimed_at_targets and self._aimed_at_targets(
                    before, _clause_words_after(working, end)
                ):
                    continue
                negated = group.negatable and self._negated(before)
                counts[self.negated_group if negated else group.name] += 1.0
                matched.append((start, end))
            working = _blank_out(working, matched)
        return counts

    def score(self, features: Mapping[str, float]) -> float:
        """The documented logistic of the capped, weighted cue counts, in 0..1."""
        total = self.bias + sum(
            group.weight * min(features.get(group.name, 0.0), self.cap) for group in self.groups
        )
        return 1.0 / (1.0 + math.exp(-total))

    def _negated(self, words_before: list[str]) -> bool:
        return any(word in self.negators for word in words_before[-self.negation_window :])

    def _aimed_at_targets(self, words_before: list[str], words_after: list[str]) -> bool:
        if any(word in self.targets for word in words_after[:2]):  # "vile zionists"
            return True
        words = list(words_before)
        while words and words[-1] in _INTENSIFIERS:
            words.pop()
        # "jews are vile", "the jews are so disgusting"; but not "the attack on jews was vile",
        # where the condemnation is of what was done to Jews.
        return (
            len(words) >= 2
            and words[-1] in _COPULAS
            and words[-2] in self.targets
            and (len(words) < 3 or words[-3] not in _PREPOSITIONS)
        )


def cue_features(text: str | NormalizedText) -> dict[str, float]:
    """Counter-speech cue counts per group for a post (raw or already normalised)."""
    return load_cues().features(text)


def counter_speech_score(text: str | NormalizedText) -> float:
    """Probability-like 0..1 score that the post calls antisemitism out rather than spreads it."""
    cues = load_cues()
    return cues.score(cues.features(text))


def load_cues(path: Path | None = None) -> CueSet:
    """Load and validate a cue file; the shipped one is read once and cached."""
    if path is None:
        return _load_default_cues()
    return _load_cue_file(Path(path))


@functools.lru_cache(maxsize=1)
def _load_default_cues() -> CueSet:
    return _load_cue_file(DEFAULT_CUES_PATH)


def _load_cue_file(path: Path) -> CueSet:
    data = load_validated_yaml(path, CUES_SCHEMA, CounterSpeechCueError)
    names = [group["name"] for group in data["groups"]]
    for index, name in enumerate(names):
        if name in names[:index]:
            raise CounterSpeechCueError(path, f"groups[{index}].name", f"duplicate group {name!r}")
    if data["negation"]["counts_as"] not in names:
        raise CounterSpeechCueError(
            path, "negation.counts_as", f"{data['negation']['counts_as']!r} is not a group name"
        )
    return CueSet(
        version=data["version"],
        bias=float(data["scoring"]["bias"]),
        cap=float(data["scoring"]["cap"]),
        groups=tuple(_build_group(path, i, group) for i, group in enumerate(data["groups"])),
        negators=frozenset(_without_apostrophes(w) for w in data["negation"]["words"]),
        negation_window=data["negation"]["window"],
        negated_group=data["negation"]["counts_as"],
        targets=frozenset(data["targets"]),
    )


def _build_group(path: Path, index: int, group: dict[str, Any]) -> CueGroup:
    alternatives = []
    if phrases := group.get("phrases"):
        # One boundary check around a single alternation, longest phrase first: the regex
        # engine scans this an order of magnitude faster than per-phrase lookarounds.
        words = "|".join(_phrase_regex(p) for p in sorted(phrases, key=len, reverse=True))
        alternatives.append(rf"(?<![^\W_])(?:{words})(?![^\W_])")
    for number, pattern in enumerate(group.get("patterns", [])):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise CounterSpeechCueError(
                path, f"groups[{index}].patterns[{number}]", f"invalid regex: {exc}"
            ) from exc
        alternatives.append(f"(?:{pattern})")
    return CueGroup(
        name=group["name"],
        weight=float(group["weight"]),
        description=group["description"],
        regex=re.compile("|".join(alternatives)),
        negatable=group.get("negatable", False),
        skip_when_aimed_at_targets=group.get("skip_when_aimed_at_targets", False),
    )


def _phrase_regex(phrase: str) -> str:
    """A phrase as a regex: flexible spaces, optional apostrophes and hyphens."""
    words = []
    for word in phrase.lower().split():
        escaped = re.escape(_ANTISEMIT_SPELLINGS.sub("antisemit", word))
        words.append(escaped.replace("'", "'?").replace(r"\-", r"[\s-]?"))
    return r"\s+".join(words)


def _normalized(text: str | NormalizedText) -> str:
    return text.text if isinstance(text, NormalizedText) else normalize(text).text


def _clause_words_before(text: str, position: int) -> list[str]:
    # Only a few words either side matter; a bounded look keeps hostile megabyte posts linear.
    clause = _CLAUSE_BREAK.split(text[max(0, position - _CONTEXT_CHARS) : position])[-1]
    return [_without_apostrophes(word) for word in _WORD.findall(clause)]


def _clause_words_after(text: str, position: int) -> list[str]:
    clause = _CLAUSE_BREAK.split(text[position : position + _CONTEXT_CHARS], maxsplit=1)[0]
    return [_without_apostrophes(word) for word in _WORD.findall(clause)]


def _without_apostrophes(word: str) -> str:
    return word.replace("'", "")


def _blank_out(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace matched spans with spaces so later groups cannot count them again."""
    if not spans:
        return text
    pieces = []
    previous = 0
    for start, end in spans:
        pieces.append(text[previous:start])
        pieces.append(" " * (end - start))
        previous = end
    pieces.append(text[previous:])
    return "".join(pieces)
