"""Undoing the mis-encoding in Facebook's "Download Your Information" JSON.

Facebook writes each UTF-8 byte of non-ASCII text as its own \\u00XX escape, so "’" (bytes
E2 80 99) arrives as "\\u00e2\\u0080\\u0099" and decodes to "â\\x80\\x99". Encoding such a
string back to Latin-1 recovers the bytes, which then decode as the UTF-8 they always were.
A string that does not survive that round trip was not mis-encoded and is left alone.
"""

from __future__ import annotations

from typing import Any


def fix_text(text: str) -> str:
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def fix_value(value: Any) -> Any:
    """``fix_text`` applied to every string (keys too) inside a decoded JSON value."""
    if isinstance(value, str):
        return fix_text(value)
    if isinstance(value, list):
        return [fix_value(item) for item in value]
    if isinstance(value, dict):
        return {fix_text(key): fix_value(item) for key, item in value.items()}
    return value
