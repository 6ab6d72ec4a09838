"""Evasion-defeating normalisation that remembers where every character came from.

Posters dodge keyword filters with look-alike letters (Cyrillic "е" for "e"), invisible
characters, leetspeak ("k1ke"), spaced-out letters ("J.e.w.s"), emoji stand-ins and
decorated triple-parenthesis echoes. ``normalize`` undoes all of that so the lexicon can be
written in plain spelling, and keeps a per-character offset map so every match can be shown
to a reviewer as the exact stretch of the ORIGINAL post that triggered it.

The work happens in three stages:

0. Repairing what export did to the text (``repair.py``: literal "\\n", HTML entities,
   mojibake), each repaired character mapped to the damaged run behind it.
1. A per-character fold (compatibility decomposition, casefold, diacritic and confusable
   removal, emoji words, invisible characters dropped). Results are cached per character
   and pure-ASCII stretches take a fast path, because almost all posts are mostly ASCII.
2. Context-dependent rewrites over the folded text, each found with one regex scan:
   filling in words censored with asterisks ("j*ws"), joining spaced-out letters,
   undoing leetspeak inside words, canonicalising echoes.
   Those only delete or substitute characters, so the offset map stays simple.

The offset maps are compact arrays (``offsets.py``), 8 bytes per character for both, so
normalising a long post costs memory in proportion to its length with a small constant.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

from .offsets import Offsets, offsets
from .repair import repair_with_offsets

# Look-alike letters mapped to the Latin letter a reader sees. Keys are checked both before
# and after casefolding: capital Greek Zeta ("Ζ") looks like "Z" but folds to "ζ", which
# does not, so uppercase look-alikes need their own keys. Covers Cyrillic and Greek
# homoglyphs, Latin small capitals and a few IPA letters (none of which NFKC touches),
# typographic apostrophes (so "jew’s" matches like "jew's") and ornamental parentheses
# used to decorate echoes.
CONFUSABLES: dict[str, str] = {
    # Cyrillic, lowercase
    "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j",
    "к": "k", "ӏ": "l", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "ѕ": "s",
    "т": "t", "у": "y", "ү": "y", "х": "x", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ѵ": "v",
    # Cyrillic, uppercase (their lowercase forms differ in shape)
    "А": "a", "В": "b", "Е": "e", "К": "k", "М": "m", "Н": "h", "О": "o", "Р": "p",
    "С": "c", "Т": "t", "У": "y", "Х": "x", "Ѕ": "s", "І": "i", "Ј": "j", "Ԛ": "q",
    "Ԝ": "w", "Ӏ": "l",
    # Greek, lowercase
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u",
    "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
    # Greek, uppercase
    "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m",
    "Ν": "n", "Ο": "o", "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x",
    # Latin script-g, script-a and dotless letters
    "ɡ": "g", "ɑ": "a", "ı": "i", "ȷ": "j",
    # Latin small capitals
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f", "ɢ": "g", "ʜ": "h",
    "ɪ": "i", "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p",
    "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z",
    # Apostrophes and parentheses
    "’": "'", "‘": "'", "ʼ": "'", "′": "'",
    "❨": "(", "❪": "(", "⟮": "(", "﴾": "(",
    "❩": ")", "❫": ")", "⟯": ")", "﴿": ")",
}  # fmt: skip

# Emoji used as stand-ins for words in antisemitic posts. Padded with spaces so the word
# stays a separate token even when the emoji is glued to a name ("Soros✡").
EMOJI_WORDS: dict[str, str] = {
    "\u2721": "jew",  # ✡ star of David
    "\U0001f52f": "jew",  # 🔯 six pointed star with middle dot
    "\U0001f443": "nose",  # 👃 the hook-nose caricature
    "\U0001f4b0": "money",  # 💰 money bag: the greed trope
    "\U0001f419": "octopus",  # 🐙 the world-controlling octopus cartoon
    "\U0001f400": "rat",  # 🐀 the vermin dehumanisation trope
}

# Leetspeak substitutions undone inside words. "8" is deliberately absent: "88" is itself a
# hate code that must survive, and inside words "8" usually stands for "ate" (h8), not "b".
# "2", "6" and "9" are absent for the same kind of ambiguity.
LEET: dict[str, str] = {
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
    "@": "a", "$": "s", "!": "i", "|": "i",
}  # fmt: skip

# Words posters censor with asterisks to slip past filters ("j*ws", "k*kes", "h*l*caust").
# A censored word is filled in with the first of these that fits it letter for letter
# (where two fit, "jew*s*", the likelier comes first); "f*ck" or "j*mp" fit none and stay.
CENSORABLE_WORDS = (
    "jew", "jews", "jewish", "jewess", "jewry", "kike", "kikes", "heeb",
    "heebs", "hebe", "hebes", "yid", "yids", "yiddo", "zionist", "zionists", "zionism",
    "zionazi", "zionazis", "zog", "goy", "goyim", "nazi", "nazis", "hitler", "holocaust",
    "holohoax", "israel", "israeli", "israelis", "rothschild", "rothschilds", "soros",
    "shekel", "shekels", "shylock", "khazar", "khazars", "khazarian",
)  # fmt: skip

# Invisible characters that are not in Unicode category Cf (which is dropped wholesale):
# the Hangul fillers render as blank space and are popular for hiding text.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
# Combining and enclosing marks (Zalgo, diacritics, variation selectors) are dropped but
# kept inside the previous character's original span, so a match covers the whole glyph.
_MARK_CATEGORIES = frozenset(("Mn", "Me"))

_ATTACH_TO_PREVIOUS = None  # fold result for a dropped mark
_UNCACHED = object()
_FOLD_CACHE: dict[str, str | None] = {}
_FOLD_CACHE_LIMIT = 65_536  # hostile posts can use many code points; bound the memory

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# A run of at least three single glyphs (letters, or leet characters that could stand for
# letters) separated by one separator each, the same one throughout: "J.e.w.s", "k 1 k e".
# Two-glyph runs such as "a b testing" or "e.g." are left alone, and the same-separator
# rule keeps "J-E-W-S k*i*k*e" as two words. _join_split_letters also wants two real
# letters in the run, so "1 2 3" stays a list of numbers. The match starts at the first
# separator (the lookbehind checks the single glyph before it) because a pattern that opens
# with a plain character class lets the regex engine skip ahead to candidates in C: 3x faster.
_SPLIT_GLYPH = r"(?:[^\W_]|[$@])"
_SPLIT_RUN = re.compile(
    rf"([ ._*\-])(?<=(?<![^\W_]){_SPLIT_GLYPH}[ ._*\-])"
    rf"{_SPLIT_GLYPH}(?:\1{_SPLIT_GLYPH})+(?![^\W_])"
)
# Where leetspeak may start inside a word: any "$", a leet digit right after a letter, or
# "@!|" after a letter and before more word. Opening with the character class lets the
# engine skip to candidates in C; the lookarounds drop "2026", "again!" and "@mayor" before
# any Python runs. _deleet_token has the final say.
_LEET_CANDIDATE = re.compile(
    r"[013457@$!|](?:(?<=\$)|(?<=[^\W\d_][013457])|(?<=[^\W\d_][@!|])(?=[@!|]*[^\W_]))"
)
_TOKEN_TAIL = re.compile(r"(?:[^\W_]|[@$!|])*")
_LETTER = re.compile(r"[^\W\d_]")
_LEET_DIGIT_RUN = re.compile(r"(?<!\d)[013457]+(?!\d)")
_LEET_DIGITS = str.maketrans({char: letter for char, letter in LEET.items() if char.isdigit()})
_LEET_SYMBOLS = str.maketrans({char: letter for char, letter in LEET.items() if not char.isdigit()})
_EDGE_PUNCTUATION = "@!|"  # leet symbols that are only letters inside a word
# A word with at least one asterisk inside or at its end and a letter first: "j*ws", "j**".
_CENSORED = re.compile(r"(?<![\w*])[^\W\d_][^\W\d_*]*\*[^\W\d_*]*(?:\*[^\W\d_*]*)*(?![\w*])")
_CENSORABLE_BY_LENGTH: dict[int, tuple[str, ...]] = {}
for _word in CENSORABLE_WORDS:
    _CENSORABLE_BY_LENGTH[len(_word)] = (*_CENSORABLE_BY_LENGTH.get(len(_word), ()), _word)
# An echo is three or more opening parentheses (spaces allowed between), a short name,
# three or more closing ones. Found in two steps, with possessive quantifiers and a name
# that cannot contain parentheses, so a post made of thousands of "(" stays linear.
_ECHO_OPEN = re.compile(r"\((?:\s*+\(){2,}+")
_ECHO_REST = re.compile(r"\s*+([^()]{1,80}?)\s*+(\)(?:\s*+\)){2,}+)")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalised text plus, for each of its characters, the original characters behind it."""

    original: str
    text: str  # normalised text
    starts: Offsets  # starts[i]: offset in `original` where text[i]'s source begins
    ends: Offsets  # ends[i]: offset one past the original chars producing text[i]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised span text[start:end] to the original span that produced it."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(
                f"span ({start}, {end}) is outside the normalised text of length "
                f"{len(self.text)}"
            )
        if start == end:
            position = self.starts[start] if start < len(self.text) else len(self.original)
            return position, position
        return self.starts[start], self.ends[end - 1]


def normalize(text: str) -> NormalizedText:
    """Normalise a post for matching, keeping the offset map back into ``text``."""
    folded, starts, ends = _repair_and_fold(text)
    # Before joining split letters, which would take "h*l*c" in "h*l*c*ust" for a run.
    folded = _uncensor(folded)
    folded, starts, ends = _join_split_letters(folded, starts, ends)
    folded = _undo_leetspeak(folded)
    folded, starts, ends = _canonicalise_echoes(folded, starts, ends)
    return NormalizedText(text, folded, starts, ends)


def _repair_and_fold(text: str) -> tuple[str, Offsets, Offsets]:
    """Stages 0 and 1. A function of its own so that the repaired text and its maps are
    freed before the rewrites run, instead of being held to the end of ``normalize``."""
    repaired = repair_with_offsets(text)
    if repaired is None:
        return _fold(text)
    # Fold the repaired text, then map its offsets back through the repair.
    fixed, fixed_starts, fixed_ends = repaired
    folded, starts, ends = _fold(fixed)
    starts = offsets(map(fixed_starts.__getitem__, starts))
    ends = offsets(fixed_ends[i - 1] for i in ends)
    return folded, starts, ends


def _fold(text: str) -> tuple[str, Offsets, Offsets]:
    """Stage 1: fold each character on its own; ASCII stretches only need lowercasing."""
    if text.isascii():
        return text.lower(), offsets(range(len(text))), offsets(range(1, len(text) + 1))
    # A StringIO, not a list of parts: a part costs some 50 bytes, and a post that
    # alternates ASCII and other letters has a part for every character.
    folded_text = io.StringIO()
    starts = offsets()
    ends = offsets()
    ascii_from = 0
    for run in _NON_ASCII.finditer(text):
        run_start, run_end = run.span()
        folded_text.write(text[ascii_from:run_start].lower())
        starts.extend(range(ascii_from, run_start))
        ends.extend(range(ascii_from + 1, run_start + 1))
        for index in range(run_start, run_end):
            char = text[index]
            folded = _FOLD_CACHE.get(char, _UNCACHED)
            if folded is _UNCACHED:
                folded = _fold_char(char)
                if len(_FOLD_CACHE) < _FOLD_CACHE_LIMIT:
                    _FOLD_CACHE[char] = folded
            if folded is _ATTACH_TO_PREVIOUS:
                _extend_last_source(starts, ends, index + 1)
            elif folded:
                folded_text.write(folded)
                starts.extend([index] * len(folded))
                ends.extend([index + 1] * len(folded))
        ascii_from = run_end
    folded_text.write(text[ascii_from:].lower())
    starts.extend(range(ascii_from, len(text)))
    ends.extend(range(ascii_from + 1, len(text) + 1))
    return folded_text.getvalue(), starts, ends


def _extend_last_source(starts: Offsets, ends: Offsets, new_end: int) -> None:
    """Stretch the most recent original character's span over a dropped mark after it."""
    if not starts:
        return
    last_source = starts[-1]
    index = len(starts) - 1
    while index >= 0 and starts[index] == last_source:
        ends[index] = new_end
        index -= 1


def _fold_char(char: str) -> str | None:
    """Fold one non-ASCII character: "" drops it, None drops it into the previous span."""
    if char in EMOJI_WORDS:
        return f" {EMOJI_WORDS[char]} "
    category = unicodedata.category(char)
    if category in _MARK_CATEGORIES:
        return _ATTACH_TO_PREVIOUS
    if category == "Cf" or char in _INVISIBLE_LETTERS:
        return ""  # zero-width, bidi controls, soft hyphen, tag characters
    pieces: list[str] = []
    for part in unicodedata.normalize("NFKD", char):
        if part in CONFUSABLES:
            pieces.append(CONFUSABLES[part])
            continue
        for piece in unicodedata.normalize("NFKD", part.casefold()):
            if unicodedata.category(piece) not in _MARK_CATEGORIES:
                pieces.append(CONFUSABLES.get(piece, piece))
    # Recompose what decomposition split without marks (Hangul syllables), completing NFKC.
    return unicodedata.normalize("NFC", "".join(pieces))


def _join_split_letters(
    text: str, starts: Offsets, ends: Offsets
) -> tuple[str, Offsets, Offsets]:
    """Join "j e w s", "J.e.w.s", "k*i*k*e": drop the separators inside single-glyph runs."""
    separators = offsets()  # a post of "a.a.a..." has one for every other character
    for run in _SPLIT_RUN.finditer(text):
        glyphs = text[run.start() - 1 : run.end() : 2]
        letters = sum(glyph.isalpha() for glyph in glyphs)
        digits_are_leet = all(glyph in LEET for glyph in glyphs if glyph.isdigit())
        if letters >= 2 and digits_are_leet:
            separators.extend(range(run.start(), run.end(), 2))
    return _delete(text, starts, ends, separators)


def _undo_leetspeak(text: str) -> str:
    """Map leet characters back to letters inside words; one-to-one, so offsets stay."""
    pieces: list[str] = []
    copied_to = 0
    position = 0
    while candidate := _LEET_CANDIDATE.search(text, position):
        token_start = candidate.start()
        while token_start > 0 and _is_token_char(text[token_start - 1]):
            token_start -= 1
        token_end = _TOKEN_TAIL.match(text, candidate.start()).end()
        token = text[token_start:token_end]
        replaced = _deleet_token(token)
        if replaced != token:
            pieces.append(text[copied_to:token_start])
            pieces.append(replaced)
            copied_to = token_end
        position = token_end
    if not pieces:
        return text
    pieces.append(text[copied_to:])
    return "".join(pieces)


def _is_token_char(char: str) -> bool:
    """Whether a character belongs to a word-like token (the class of _TOKEN_TAIL)."""
    return char.isalnum() or char in "@$!|"


def _deleet_token(token: str) -> str:
    """Undo leetspeak in one word-like token, leaving numbers and punctuation intact.

    Rules, each protecting ordinary text:
    - no letters, or starting with a digit: untouched ("1488", "$100", "4chan", "1st");
    - digit runs containing a digit outside LEET stay ("covid19", "h8");
    - "@", "!" and "|" map only inside the word ("k!ke"), so a mention ("@soros") or an
      exclamation ("jews!!") keeps its symbol; "$" maps anywhere ("$oros", "jew$").
    """
    if token[0].isdigit():
        return token
    core_start = len(token) - len(token.lstrip(_EDGE_PUNCTUATION))
    core_end = len(token.rstrip(_EDGE_PUNCTUATION))
    core = token[core_start:core_end]
    if not _LETTER.search(core):
        return token
    core = _LEET_DIGIT_RUN.sub(lambda run: run.group().translate(_LEET_DIGITS), core)
    core = core.translate(_LEET_SYMBOLS)
    return token[:core_start] + core + token[core_end:]


def _uncensor(text: str) -> str:
    """Fill in "j*ws"-style censored words; one-to-one, so offsets stay."""
    if "*" not in text:
        return text
    return _CENSORED.sub(_fill_censored, text)


def _fill_censored(censored: re.Match) -> str:
    token = censored.group()
    if len(token) - token.count("*") < 2:  # "j**" could be anything
        return token
    for word in _CENSORABLE_BY_LENGTH.get(len(token), ()):
        if all(char in ("*", letter) for char, letter in zip(token, word, strict=True)):
            return word
    return token


def _canonicalise_echoes(
    text: str, starts: Offsets, ends: Offsets
) -> tuple[str, Offsets, Offsets]:
    """Rewrite "( ( ( Soros ) ) )" and "(((( soros ))))" as "(((soros)))"."""
    removed: list[int] = []
    for opening in _ECHO_OPEN.finditer(text):
        rest = _ECHO_REST.match(text, opening.end())
        if rest is None:
            continue
        removed.extend(_surplus_in_parenthesis_run(text, range(*opening.span())))
        removed.extend(range(opening.end(), rest.start(1)))
        removed.extend(range(rest.end(1), rest.start(2)))
        # Keep the outermost parentheses so the echo's span covers all of the original.
        removed.extend(_surplus_in_parenthesis_run(text, reversed(range(*rest.span(2)))))
    return _delete(text, starts, ends, sorted(removed))


def _surplus_in_parenthesis_run(text: str, positions: Iterable[int]) -> list[int]:
    """Positions to drop from a run of parentheses: the spaces and any beyond the third."""
    surplus = []
    kept = 0
    for index in positions:
        if text[index] in "()" and kept < 3:
            kept += 1
        else:
            surplus.append(index)
    return surplus


def _delete(
    text: str, starts: Offsets, ends: Offsets, positions: Sequence[int]
) -> tuple[str, Offsets, Offsets]:
    """Remove the characters at the given ascending positions, with their offsets.

    The offset maps are compacted in place (each kept stretch moves to the front), since
    copies of them would double normalisation's memory."""
    if not positions:
        return text, starts, ends
    kept_text = io.StringIO()
    kept = 0  # how many characters are kept so far
    previous = 0
    for position in chain(positions, (len(text),)):
        length = position - previous
        kept_text.write(text[previous:position])
        starts[kept : kept + length] = starts[previous:position]
        ends[kept : kept + length] = ends[previous:position]
        kept += length
        previous = position + 1
    del starts[kept:]
    del ends[kept:]
    return kept_text.getvalue(), starts, ends


_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_HANDLE = re.compile(r"@\w{1,30}")


def mask_identifiers(text: str) -> str:
    """Replace links and user handles so a model cannot learn who posted or was addressed.

    The models read normalised text passed through this, in training and at inference alike;
    de-duplication keys use it too, so a retweet with another handle is the same text."""
    return _HANDLE.sub("@user", _URL.sub("http", text))
