"""The hashed form of each kind of chained record.

A review event's hash (and a case event's) covers every field but ``actor``: that is a
pointer to an account, which Django nulls when the account is deleted, while ``actor_name``
and ``actor_role`` keep who acted, as the log always has. An evidence record's hash is the
hash of its stored snapshot, byte for byte.
"""

from __future__ import annotations

from typing import Any

from .canonical import canonical_json, sha256_hex, timestamp
from .models import EvidenceRecord, LinkKind


def event_record(event: Any) -> dict[str, Any]:
    """A review event (or any row with its fields) as the dict that is hashed and exported."""
    return {
        "kind": LinkKind.EVENT.value, "id": event.pk, "org": event.org_id,
        "post": event.post_id, "actor_name": event.actor_name,
        "actor_role": event.actor_role, "action": event.action,
        "categories": event.categories, "reason": event.reason, "note": event.note,
        "created_at": timestamp(event.created_at),
    }


def event_bytes(event: Any) -> bytes:
    return canonical_json(event_record(event))


def event_hash(event: Any) -> str:
    return sha256_hex(event_bytes(event))


def case_event_record(event: Any) -> dict[str, Any]:
    """A complaint case's event, hashed like a review event: every field but ``actor``."""
    return {
        "kind": LinkKind.CASE_EVENT.value, "id": event.pk, "org": event.org_id,
        "case": event.case_id, "actor_name": event.actor_name,
        "actor_role": event.actor_role, "action": event.action, "outcome": event.outcome,
        "post_ids": event.post_ids, "note": event.note,
        "created_at": timestamp(event.created_at),
    }


def case_event_hash(event: Any) -> str:
    return sha256_hex(canonical_json(case_event_record(event)))


def evidence_hash(record: EvidenceRecord) -> str:
    return sha256_hex(record.snapshot.encode("utf-8"))
