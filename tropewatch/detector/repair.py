"""Undo the damage text takes on its way out of a platform, before anything reads it.

Exports and scraped datasets carry three kinds of damage that hide words from every
stage (the ISCA tweets have all three: 23% hold a literal ``\\n``, 10% hold HTML
entities and 9% hold mojibake, 26% of those posted in 2022-2023):

- escaped line breaks written out literally: ``...Israel.\\nJews...`` (the n-gram
  model and the lexicon would read "njews");
- HTML entities left by an API: ``&amp;``, ``&quot;`` (quotation marks are how the
  detector tells a quoted slur from a used one);
- mojibake, UTF-8 decoded as Windows-1252: ``Itâ€™s``, ``â€œJewsâ€\x9d``.

Facebook's export is repaired where it is read (``ingest/facebook/mojibake.py``: the
whole file is mis-encoded the same way, so the stored text is fixed). This module is for
what arrives damaged anyway, run by run, without changing what is stored.

``ftfy`` repairs whole texts as well (on the ISCA tweets its ``fix_encoding`` and this
module disagree on one tweet, a Polish "SkandujÄ…" that ftfy leaves alone), but it keeps
no map back to the input, and called run by run, as offsets would need, its heuristics
leave short runs such as "Ù„" alone. Here each damaged run is repaired on its own and
every output character remembers the input characters behind it, so ``normalize`` can
still point a reviewer at the original post.
A run counts as mojibake only if its bytes form one valid UTF-8 character, which
ordinary text in Latin scripts almost never does.
"""

from __future__ import annotations

import html
import io
import re

from .offsets import Offsets, offsets

_ESCAPES = {"\\n": "\n", "\\r": "\n", "\\t": "\t"}
# Windows-1252 puts printable characters at 0x80-0x9f; the five bytes it leaves undefined
# come through as the C1 controls of the same code (the "sloppy" reading ftfy also uses).
_CP1252_HIGH = bytes(range(0x80, 0xA0)).decode("cp1252", errors="replace")
_BYTE_OF = {char: 0x80 + i for i, char in enumerate(_CP1252_HIGH) if char != "\ufffd"}
_BYTE_OF.update({chr(b): b for b in range(0x80, 0x100) if chr(b) not in _BYTE_OF
                 and bytes([b]).decode("cp1252", errors="replace") in ("\ufffd", chr(b))})
_CONTINUATION = "[" + re.escape("".join(c for c, b in _BYTE_OF.items() if b < 0xC0)) + "]"
_MOJIBAKE = (f"[\u00c2-\u00df]{_CONTINUATION}|[\u00e0-\u00ef]{_CONTINUATION}{{2}}"
             f"|[\u00f0-\u00f4]{_CONTINUATION}{{3}}")
_DAMAGE = re.compile(r"\\[nrt]|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});|"
                     + _MOJIBAKE)
_MAY_NEED_REPAIR = re.compile(r"[\\&\u00c2-\u00f4]")


def _repaired(run: str) -> str:
    if run in _ESCAPES:
        return _ESCAPES[run]
    if run.startswith("&"):
        return html.unescape(run)
    try:
        return bytes(_BYTE_OF[char] for char in run).decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return run


def repair(text: str) -> str:
    """The text with escapes, entities and mojibake undone (what the models read)."""
    if _MAY_NEED_REPAIR.search(text) is None:
        return text
    return _DAMAGE.sub(lambda match: _repaired(match.group()), text)


def repair_with_offsets(text: str) -> tuple[str, Offsets, Offsets] | None:
    """Like ``repair``, with each output character's span in ``text`` (starts, ends);
    None when nothing needed repair, so callers can skip the remapping."""
    if _MAY_NEED_REPAIR.search(text) is None:
        return None
    repaired = io.StringIO()  # not a list of parts, which cost some 50 bytes each
    starts = offsets()
    ends = offsets()
    copied_to = 0
    for match in _DAMAGE.finditer(text):
        fixed = _repaired(match.group())
        if fixed == match.group():
            continue
        repaired.write(text[copied_to:match.start()])
        starts.extend(range(copied_to, match.start()))
        ends.extend(range(copied_to + 1, match.start() + 1))
        repaired.write(fixed)
        starts.extend([match.start()] * len(fixed))
        ends.extend([match.end()] * len(fixed))
        copied_to = match.end()
    if copied_to == 0:
        return None
    repaired.write(text[copied_to:])
    starts.extend(range(copied_to, len(text)))
    ends.extend(range(copied_to + 1, len(text) + 1))
    return repaired.getvalue(), starts, ends
