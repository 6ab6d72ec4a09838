"""The lexicon: documented antisemitic terms, codes and tropes, and a fast matcher for them.

Entries live in ``data/lexicon/<concern>.jsonl``, one JSON object per line, written in plain
spelling. Loading validates every line (a bad line is a packaging bug, so it fails loudly,
naming file, line and field). Matching runs over ``normalize``'d text, so the matcher only
has to tolerate what normalisation cannot undo: stretched letters ("jeeews"), any
separator between the words of a phrase ("zionist_occupied-government") and plural or
possessive endings. Match offsets are mapped back to the ORIGINAL post for reviewers.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import Literal

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from .normalize import NormalizedText, normalize

DEFAULT_LEXICON_DIR = Path(__file__).parent / "data" / "lexicon"
DEFAULT_WINDOW = 8

_NON_EMPTY_STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}}
ENTRY_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "category", "terms", "meaning", "strength", "false_positive_notes"],
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9_]+$"},
        "category": {"type": "string", "pattern": "^[a-z0-9_]+$"},
        "terms": _NON_EMPTY_STRINGS,
        "patterns": _NON_EMPTY_STRINGS,
        "meaning": {"type": "string", "minLength": 1},
        "strength": {"enum": ["explicit", "contextual"]},
        "requires_nearby": _NON_EMPTY_STRINGS,
        "window": {"type": "integer", "minimum": 1, "maximum": 100},
        "false_positive_notes": {"type": "string"},
        "variants": _NON_EMPTY_STRINGS,
    },
}
_VALIDATOR = Draft202012Validator(ENTRY_SCHEMA)

# The pieces of a normalised term that must appear: runs of letters and digits, and
# symbols such as "(((", except the punctuation people vary inside phrases (- ' . /):
# that, like spaces and underscores, becomes a flexible gap.
_TERM_PIECE = re.compile(r"[^\W_]+|[^\w\s\-'./]")
_WORD = re.compile(r"[^\W_]+")
_BETWEEN_PIECES = r"[\W_]*"  # any separator, or none: "zionist-occupied", "#zionistoccupied"
_PLURAL_OR_POSSESSIVE = r"(?:e?s)?(?:'s?)?"
_NOT_AFTER_WORD_CHAR = r"(?<![^\W_].)"  # placed after the first character, see _group_source
_NOT_BEFORE_WORD_CHAR = r"(?![^\W_])"
_MAX_FIRST_CHARS = 64  # a pattern that can start with more is tried at every position


class LexiconError(ValueError):
    """The lexicon data is malformed; the message names the file, line and field."""


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    id: str
    category: str  # taxonomy category id
    terms: tuple[str, ...]  # literal phrases in plain spelling
    meaning: str
    strength: Literal["explicit", "contextual"]
    false_positive_notes: str
    patterns: tuple[str, ...] = ()  # regexes over normalised text
    requires_nearby: tuple[str, ...] = ()  # counts only if one of these words is near
    window: int = DEFAULT_WINDOW  # how near, in words either side
    variants: tuple[str, ...] = ()  # documented spellings, matched like terms


@dataclass(frozen=True, slots=True)
class Match:
    entry: LexiconEntry
    start: int  # offset into the ORIGINAL text
    end: int
    term: str  # original[start:end], exactly as posted


class Lexicon:
    """Validated entries, compiled so that matching a post costs one regex pass."""

    def __init__(self, entries: Sequence[LexiconEntry], version: str) -> None:
        self.entries = tuple(entries)
        self.version = version
        self._by_id = {entry.id: entry for entry in self.entries}
        self._order = {entry.id: index for index, entry in enumerate(self.entries)}
        self._scanner = _Scanner(self.entries)
        self._nearby = {
            entry.id: _nearby_regex(entry.requires_nearby)
            for entry in self.entries
            if entry.requires_nearby
        }

    def entry(self, entry_id: str) -> LexiconEntry:
        """The entry with this id; KeyError if there is none."""
        return self._by_id[entry_id]

    def find(self, text: str | NormalizedText) -> list[Match]:
        """Every lexicon match in ``text`` in order of position; of overlapping matches only
        the longest is kept. Offsets and terms refer to the original text."""
        normalized = text if isinstance(text, NormalizedText) else normalize(text)
        candidates = self._scanner.candidates(normalized.text)
        if any(entry.requires_nearby for _, _, entry in candidates):
            words = _Words(normalized.text)
            candidates = [
                (start, end, entry)
                for start, end, entry in candidates
                if not entry.requires_nearby
                or words.near(start, end, entry.window, self._nearby[entry.id])
            ]
        matches = []
        for start, end, entry in self._without_overlaps(candidates):
            original_start, original_end = normalized.to_original(start, end)
            term = normalized.original[original_start:original_end]
            matches.append(Match(entry, original_start, original_end, term))
        return matches

    def _without_overlaps(
        self, candidates: Iterable[tuple[int, int, LexiconEntry]]
    ) -> list[tuple[int, int, LexiconEntry]]:
        """Keep the longest of overlapping matches (ties: earlier, then earlier entry)."""
        ranked = sorted(
            set(candidates), key=lambda c: (c[0] - c[1], c[0], self._order[c[2].id])
        )
        kept: list[tuple[int, int, LexiconEntry]] = []  # non-overlapping, sorted by start
        kept_starts: list[int] = []
        for start, end, entry in ranked:
            # Kept matches do not overlap, so only the last one starting before `end` can.
            index = bisect_left(kept_starts, end)
            if index and kept[index - 1][1] > start:
                continue
            kept.insert(index, (start, end, entry))
            kept_starts.insert(index, start)
        return kept


class _Words:
    """The word positions of one normalised text, for requires_nearby windows."""

    def __init__(self, text: str) -> None:
        self.text = text
        spans = [word.span() for word in _WORD.finditer(text)]
        self.starts = [start for start, _ in spans]
        self.ends = [end for _, end in spans]

    def near(self, start: int, end: int, window: int, nearby: re.Pattern[str]) -> bool:
        """Whether ``nearby`` matches within ``window`` words before or after text[start:end].

        The window runs up to the next word beyond it, so symbols such as "(((" between
        the last counted word and that next one are inside it too.
        """
        first = bisect_right(self.ends, start)  # index of the first word ending after start
        last = bisect_left(self.starts, end) - 1  # index of the last word starting before end
        outside_before = first - window - 1
        outside_after = last + window + 1
        before = self.ends[outside_before] if outside_before >= 0 else 0
        after = self.starts[outside_after] if outside_after < len(self.starts) else len(self.text)
        return bool(nearby.search(self.text, before, start) or nearby.search(self.text, end, after))


def load_lexicon(directory: Path | None = None, categories: set[str] | None = None) -> Lexicon:
    """Load and validate every ``*.jsonl`` in ``directory`` (default: the shipped lexicon).

    ``categories``, when given, is the set of valid taxonomy ids each entry must use.
    The default lexicon is loaded once per process.
    """
    if directory is None and categories is None:
        return _load_default_lexicon()
    return _load(directory or DEFAULT_LEXICON_DIR, categories)


@lru_cache(maxsize=1)
def _load_default_lexicon() -> Lexicon:
    return _load(DEFAULT_LEXICON_DIR, None)


def _load(directory: Path, categories: set[str] | None) -> Lexicon:
    version = _read_version(directory)
    paths = sorted(directory.glob("*.jsonl"))
    if not paths:
        raise LexiconError(f"{directory}: no *.jsonl lexicon files")
    entries: list[LexiconEntry] = []
    defined_at: dict[str, str] = {}  # entry id -> "file:line"
    term_owner: dict[str, str] = {}  # match form of a term or variant -> entry id
    for path in paths:
        for line_number, line in _numbered_lines(path):
            where = f"{path}:{line_number}"
            entry = _parse_entry(line, where, categories)
            if entry.id in defined_at:
                raise LexiconError(
                    f"{where}: field 'id': duplicate id {entry.id!r}, "
                    f"first defined at {defined_at[entry.id]}"
                )
            defined_at[entry.id] = where
            for term in _match_forms(entry):
                owner = term_owner.setdefault(term, entry.id)
                if owner != entry.id:
                    raise LexiconError(
                        f"{where}: field 'terms': {term!r} is already matched by entry "
                        f"{owner!r} ({defined_at[owner]}); one spelling, one entry"
                    )
            entries.append(entry)
    return Lexicon(entries, version)


def _read_version(directory: Path) -> str:
    path = directory / "VERSION"
    try:
        version = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise LexiconError(f"{path}: cannot read the lexicon version: {error}") from error
    if not version or "\n" in version:
        raise LexiconError(f"{path}: must hold one version line, such as 2026.11.1")
    return version


def _numbered_lines(path: Path) -> Iterable[tuple[int, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LexiconError(f"{path}: cannot read: {error}") from error
    # Split on "\n" only: JSON strings may legally hold U+2028, which splitlines() splits on.
    for line_number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield line_number, line


def _parse_entry(line: str, where: str, categories: set[str] | None) -> LexiconEntry:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise LexiconError(f"{where}: not valid JSON: {error.msg} (column {error.colno})") from None
    error = best_match(_VALIDATOR.iter_errors(data))
    if error is not None:
        raise LexiconError(f"{where}: {_describe(error)}")
    if categories is not None and data["category"] not in categories:
        raise LexiconError(
            f"{where}: field 'category': unknown category {data['category']!r} "
            f"(valid: {', '.join(sorted(categories))})"
        )
    for index, pattern in enumerate(data.get("patterns", [])):
        try:
            re.compile(pattern)
        except re.error as compile_error:
            raise LexiconError(
                f"{where}: field 'patterns[{index}]': regex does not compile: {compile_error}"
            ) from None
    for field in ("terms", "variants", "requires_nearby"):
        for index, phrase in enumerate(data.get(field, [])):
            if not _match_form(phrase):
                raise LexiconError(
                    f"{where}: field '{field}[{index}]': {phrase!r} has nothing to match "
                    "once normalised"
                )
    if not (data["terms"] or data.get("variants") or data.get("patterns")):
        raise LexiconError(f"{where}: field 'terms': no terms, variants or patterns to match")
    return LexiconEntry(
        id=data["id"],
        category=data["category"],
        terms=tuple(data["terms"]),
        meaning=data["meaning"],
        strength=data["strength"],
        false_positive_notes=data["false_positive_notes"],
        patterns=tuple(data.get("patterns", ())),
        requires_nearby=tuple(data.get("requires_nearby", ())),
        window=data.get("window", DEFAULT_WINDOW),
        variants=tuple(data.get("variants", ())),
    )


def _describe(error: ValidationError) -> str:
    """A schema error as "field 'x': problem", naming the field even for missing ones."""
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        return f"missing field '{missing[0]}'"
    if error.validator == "additionalProperties":
        unknown = sorted(set(error.instance) - set(ENTRY_SCHEMA["properties"]))
        return f"unknown field '{unknown[0]}'"
    if not error.absolute_path:
        return f"entry must be a JSON object: {error.message}"
    field = "".join(
        f"[{part}]" if isinstance(part, int) else part for part in error.absolute_path
    )
    return f"field '{field}': {error.message}"


def _match_form(phrase: str) -> str:
    """A phrase's canonical spelling for matching: its pieces, joined by single spaces.
    Spellings with the same form ("holo-hoax", "Holo hoax") match the same texts."""
    return " ".join(_TERM_PIECE.findall(normalize(phrase).text))


def _match_forms(entry: LexiconEntry) -> list[str]:
    """The entry's terms and variants in match form, without duplicates."""
    return list(dict.fromkeys(_match_form(phrase) for phrase in (*entry.terms, *entry.variants)))


def _term_units(form: str) -> list[str]:
    """Regex units for a term in match form: each letter may repeat, pieces may be split
    by any separator or none, a final letter may take a plural or possessive ending, and
    the term must end a word. Returned per unit so _term_rest can take the first character
    apart; _group_source adds the check that the term starts a word."""
    units: list[str] = []
    for piece in form.split(" "):
        if units:
            units.append(_BETWEEN_PIECES)
        for char, run in groupby(piece):
            if char.isalpha():
                units.append(re.escape(char) + "+")  # "jeeews"; "happy" also matches "hapy"
            else:
                units.append(re.escape(char) * len(list(run)))  # "88" must not match "888"
    if form[-1].isalpha():
        units.append(_PLURAL_OR_POSSESSIVE)
    if form[-1].isalnum():
        units.append(_NOT_BEFORE_WORD_CHAR)
    return units


def _term_rest(form: str) -> str:
    """Regex for a term in match form after its first character."""
    units = _term_units(form)
    first = re.escape(form[0])
    # The first character is matched by the literal that opens its group (_group_source):
    # a letter may still repeat after it; a run of digits or symbols loses one copy.
    return "".join([first + "*" if form[0].isalpha() else units[0][len(first) :], *units[1:]])


def _embeddable(pattern: str) -> bool:
    """Whether a pattern can sit inside the shared scanner: it must have no groups of its
    own (backreferences would point elsewhere) and no global inline flags such as (?i),
    which are only valid at the very start of a regex."""
    if re.compile(pattern).groups:
        return False
    try:
        re.compile(f"(?:{pattern})")
    except re.error:
        return False
    return True


def _first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can start with; None if unknown or unlimited.

    Python has no public API for this, but its own regex compiler answers the same
    question from the parse tree of the private ``re._parser``. Any surprise there
    (another Python version) gives None: the pattern is then tried at every position,
    which is slower but finds the same matches.
    """
    try:
        parsed = re._parser.parse(pattern)
        if parsed.state.flags & re.IGNORECASE:
            return None
        chars, can_be_empty = _sequence_first_chars(list(parsed))
    except (AttributeError, TypeError, ValueError, re.error):
        return None
    if chars is None or can_be_empty or len(chars) > _MAX_FIRST_CHARS:
        return None
    return frozenset(chars)


def _sequence_first_chars(items: list) -> tuple[set[str] | None, bool]:
    """(possible first characters, whether the sequence can match the empty string)."""
    chars: set[str] = set()
    for op, value in items:
        kind = op.name
        if kind in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # zero width; skipping a lookaround only widens the answer
        if kind == "LITERAL":
            return chars | {chr(value)}, False
        if kind == "IN":
            members = _charset_members(value)
            return (None if members is None else chars | members), False
        if kind == "BRANCH":
            alternatives, can_be_empty = value[1], False
        elif kind == "SUBPATTERN" and not value[1] & re.IGNORECASE:
            alternatives, can_be_empty = [value[3]], False
        elif kind == "ATOMIC_GROUP":
            alternatives, can_be_empty = [value], False
        elif kind in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            alternatives, can_be_empty = [value[2]], value[0] == 0
        else:
            return None, False
        for alternative in alternatives:
            alternative_chars, alternative_can_be_empty = _sequence_first_chars(list(alternative))
            if alternative_chars is None:
                return None, False
            chars |= alternative_chars
            can_be_empty = can_be_empty or alternative_can_be_empty
        if not can_be_empty:
            return chars, False
    return chars, True


def _charset_members(items: list) -> set[str] | None:
    """The characters of a [...] set; None for negated sets and classes such as \\w."""
    members: set[str] = set()
    for op, value in items:
        if op.name == "LITERAL":
            members.add(chr(value))
        elif op.name == "RANGE" and value[1] - value[0] < _MAX_FIRST_CHARS:
            members.update(chr(code) for code in range(value[0], value[1] + 1))
        else:
            return None
    return members


class _Scanner:
    """Finds every (start, end, entry) in normalised text.

    One regex pass answers "does anything match here?" for all terms and embeddable
    patterns at once. It is a lookahead, so it reports every start position, overlapping
    ones included, and it has no capture groups, which would make it several times slower
    (the engine resets every group's state at each position). Terms and patterns are
    grouped by the character they start with, each group opening with that character as
    a literal: the engine then skips a whole group at a position holding any other
    character. Only where something matches does a _Probe work out which members did.
    """

    def __init__(self, entries: Sequence[LexiconEntry]) -> None:
        members: dict[str, list[tuple[str, LexiconEntry]]] = {}  # by first character
        anywhere: list[tuple[str, LexiconEntry]] = []  # patterns whose first char is unknown
        self._standalone: list[tuple[re.Pattern[str], LexiconEntry]] = []  # not embeddable
        term_rests: dict[str, list[str]] = {}
        pattern_sources: dict[str, list[str]] = {}
        for entry in entries:
            for form in _match_forms(entry):
                rest = _term_rest(form)
                term_rests.setdefault(form[0], []).append(rest)
                members.setdefault(form[0], []).append((_group_source(form[0], [rest], []), entry))
            for pattern in entry.patterns:
                if not _embeddable(pattern):
                    self._standalone.append((re.compile(pattern), entry))
                    continue
                first_chars = _first_chars(pattern)
                if first_chars is None:
                    anywhere.append((f"(?:{pattern})", entry))
                    continue
                for char in first_chars:
                    pattern_sources.setdefault(char, []).append(pattern)
                    members.setdefault(char, []).append((f"(?:{pattern})", entry))
        alternatives = [
            _group_source(char, term_rests.get(char, []), pattern_sources.get(char, []))
            for char in sorted(members)
        ]
        alternatives += [source for source, _ in anywhere]
        self._anything = re.compile(f"(?=(?:{'|'.join(alternatives)}))" if alternatives else "(?!)")
        self._probes = {char: _Probe(group) for char, group in members.items()}
        self._anywhere = _Probe(anywhere)

    def candidates(self, text: str) -> list[tuple[int, int, LexiconEntry]]:
        found = []
        for hit in self._anything.finditer(text):
            start = hit.start()
            probe = self._probes.get(text[start])
            if probe is not None:
                found.extend(probe.matches(text, start))
            found.extend(self._anywhere.matches(text, start))
        for regex, entry in self._standalone:
            for match in regex.finditer(text):
                if match.end() > match.start():
                    found.append((match.start(), match.end(), entry))
        return found


class _Probe:
    """Tries every member of a group at one position in a single regex call.

    Each member is an optional lookahead with its own capture group, so one match records
    which members match at the position and where each one ends.
    """

    def __init__(self, members: list[tuple[str, LexiconEntry]]) -> None:
        self._regex = re.compile("".join(f"(?:(?=({source})))?" for source, _ in members))
        self._entries = [entry for _, entry in members]

    def matches(self, text: str, start: int) -> list[tuple[int, int, LexiconEntry]]:
        if not self._entries:
            return []
        spans = self._regex.match(text, start).regs[1:]
        return [
            (start, end, entry)
            for (_, end), entry in zip(spans, self._entries, strict=True)
            if end > start
        ]


def _group_source(first: str, term_rests: list[str], patterns: list[str]) -> str:
    """Regex for the terms and patterns starting with ``first``, opening with it as a literal.

    The terms' word-start check comes after the literal (as a two-character lookbehind)
    to keep the literal first. Patterns must match from the literal itself, so they are
    tried from one character back: a lookbehind over a lookahead.
    """
    alternatives = []
    if term_rests:
        boundary = _NOT_AFTER_WORD_CHAR if first.isalnum() else ""
        alternatives.append(f"{boundary}(?:{'|'.join(term_rests)})")
    if patterns:
        alternatives.append(f"(?<=(?={'|'.join(f'(?:{p})' for p in patterns)})(?s:.))")
    return f"{re.escape(first)}(?:{'|'.join(alternatives)})"


def _nearby_regex(words: Sequence[str]) -> re.Pattern[str]:
    """Context words match like terms: whole words, plural or possessive endings allowed
    ("control" counts "controls" but not "controlled"; "jew" does not count "jewel")."""
    rests: dict[str, list[str]] = {}
    for form in map(_match_form, words):
        rests.setdefault(form[0], []).append(_term_rest(form))
    return re.compile("|".join(_group_source(first, group, []) for first, group in rests.items()))
