"""Make decoded strings safe to store.

JSON may escape characters that no database text column accepts: NUL (``\\u0000``) and lone
UTF-16 surrogates (``\\ud800`` without its pair). PostgreSQL rejects both in ``text`` and
``jsonb``, so one hostile post could otherwise abort a whole import. They carry no readable
content: NUL is dropped and a lone surrogate becomes U+FFFD.
"""

from __future__ import annotations

import re
from typing import Any

# A JSON escape that may decode to NUL or to a lone surrogate: a high one not followed by a
# low one, or a low one not right after a high one whose backslash starts an escape (a char
# other than a backslash before it). Escaped pairs, as tools that escape all non-ASCII write
# emoji, are fine. The pattern may over-match (an escaped backslash followed by "u0000"), which
# only costs a scrub; it never misses. Searching the undecoded text is cheap, so the slower
# scrub below runs only on the rare record that needs it.
UNSAFE_JSON_ESCAPE = re.compile(
    r"\\u(?:0000"
    r"|[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    r"|[dD][c-fC-F][0-9a-fA-F]{2}(?<![^\\]\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}))"
)

_UNSAFE_CHARS = re.compile("[\x00\ud800-\udfff]")


def scrub_text(text: str) -> str:
    if not _UNSAFE_CHARS.search(text):
        return text
    text = text.replace("\x00", "")
    # Valid pairs were already joined by the JSON decoder, so any surrogate left is lone.
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def scrub_value(value: Any) -> Any:
    """``scrub_text`` applied to every string (keys too) inside a decoded JSON value."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, list):
        return [scrub_value(item) for item in value]
    if isinstance(value, dict):
        return {scrub_text(key): scrub_value(item) for key, item in value.items()}
    return value
