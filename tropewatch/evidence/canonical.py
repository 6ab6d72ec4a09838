"""The one byte form of a record that is hashed, and the hash that links records in a chain.

Plain Python, no Django: ``tropewatch verify-bundle`` and anyone with another JSON library
can recompute every hash. Canonical JSON here is: keys sorted, no spaces, UTF-8 (not
``\\u`` escapes), and no floats at all: a number with a fraction is written as a string of
Python's shortest round-trip form ("0.9"), because JSON libraries disagree on how to print
floats. Timestamps are ISO 8601 in UTC with microseconds and a ``Z``.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import UTC, datetime
from typing import Any

# The hash before the first link of a chain.
GENESIS = "0" * 64


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        _plain(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"),
        allow_nan=False,
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def timestamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError(f"{moment!r} has no time zone: evidence times are UTC")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def link_hash(org_id: int, seq: int, kind: str, object_id: int, record_hash: str,
              prev_hash: str) -> str:
    """The hash of one link: it covers the record's hash and the link before it, so no
    record can be changed, added or removed without every later link changing."""
    return sha256_hex(canonical_json({
        "org": org_id, "seq": seq, "kind": kind, "id": object_id, "record": record_hash,
        "prev": prev_hash,
    }))


def _plain(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, float):
        # NaN and infinities too: a record "as imported" may hold them; JSON cannot.
        return repr(value) if math.isfinite(value) else str(value)
    if isinstance(value, datetime):
        return timestamp(value)
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    raise TypeError(f"{type(value).__name__} has no canonical JSON form")
