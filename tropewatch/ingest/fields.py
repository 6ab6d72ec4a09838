"""Typed access to fields of untrusted records.

Every platform converter reads ids, texts, times and counts through these helpers, so a field
of the wrong type becomes an ``InvalidRecord`` that names the field instead of a TypeError
deep inside a converter.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from .errors import InvalidRecord

# X's v1.1 timestamp format, still used by the account archive: "Wed Oct 10 20:19:24 +0000 2018"
_TWITTER_TIME = "%a %b %d %H:%M:%S %z %Y"
_MAX_COUNT_DIGITS = 18  # fits a 64-bit database column


def as_object(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidRecord(f"{what} is not a JSON object", "unsupported")
    return value


def dig(value: Any, *keys: str) -> Any:
    """value[k1][k2]..., or None where any step is missing or not an object."""
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def lookup(record: Mapping[str, Any], path: str) -> Any:
    """record[path] where the key itself is dotted (CSV headers like "post_owner.id"),
    else the nested value along the dots (JSON objects)."""
    if path in record:
        return record[path]
    return dig(record, *path.split("."))


def optional_text(value: Any, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidRecord(f"{field} is not a string")
    return value


def required_text(value: Any, field: str, *, media: bool = False) -> str:
    """Post text: must be present and not blank, since there is nothing to scan otherwise.
    ``media``: the post carries images or video, so without text it is a real post of media
    only, skipped as such rather than reported as damaged."""
    text = optional_text(value, field)
    if text is None or not text.strip():
        if media:
            raise media_only(field)
        raise InvalidRecord(f"no text to scan: {field} is missing or empty", "missing_text")
    return text


def media_only(field: str) -> InvalidRecord:
    return InvalidRecord(
        f"media only: no text to scan ({field} is empty), only images, video or an embed",
        "media_only",
    )


def web_url(value: Any) -> str | None:
    """An http(s) link, or None: other schemes (javascript:, data:) must never reach a page."""
    if isinstance(value, str) and value.startswith(("https://", "http://")):
        return value
    return None


def optional_id(value: Any, field: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidRecord(f"{field} is not an id: {_preview(value)}")
    return str(value)


def required_id(value: Any, field: str) -> str:
    identifier = optional_id(value, field)
    if identifier is None:
        raise InvalidRecord(f"missing id: {field} is absent or empty", "missing_id")
    return identifier


def parse_time(value: Any, field: str) -> datetime:
    """A timezone-aware UTC datetime from epoch seconds, ISO 8601 or X's archive format.
    Times without a zone are taken as UTC, which is what the exports that omit it mean."""
    if value is None or value == "":
        raise InvalidRecord(f"missing time: {field} is absent or empty")
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, UTC)
        if isinstance(value, str):
            stripped = value.strip()
            if stripped.isascii() and stripped.isdigit():
                return datetime.fromtimestamp(int(stripped), UTC)
            parsed = _parse_time_text(stripped)
            if parsed is not None:
                return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (OverflowError, OSError, ValueError):
        pass
    raise InvalidRecord(f"{field} is not a time: {_preview(value)}")


def _parse_time_text(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.strptime(text, _TWITTER_TIME)
    except ValueError:
        return None


def parse_count(value: Any, field: str) -> int | None:
    """A non-negative count; None where the export leaves it out or blank."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidRecord(f"{field} is not a count: {_preview(value)}")
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, str):
        digits = value.strip()
        if digits.isascii() and digits.isdigit() and len(digits) <= _MAX_COUNT_DIGITS:
            return int(digits)
    raise InvalidRecord(f"{field} is not a count: {_preview(value)}")


def reach_from(record: Mapping[str, Any], fields: Mapping[str, str]) -> dict[str, int]:
    """{"likes": ..., "shares": ...} from the record's dotted ``fields``, leaving out unknowns."""
    reach = {}
    for name, path in fields.items():
        count = parse_count(lookup(record, path), path)
        if count is not None:
            reach[name] = count
    return reach


def _preview(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
