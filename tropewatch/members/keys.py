"""Keyed hashes of identifiers: what the database holds instead of the member list.

A plain hash of a phone number or an email address is undone by hashing every candidate
(there are only so many phone numbers), so each digest is an HMAC-SHA256 under a secret that
lives in the environment, never in the database. Whoever has the database alone cannot test
whether someone is on the list; whoever also has the key can, one guess at a time.
"""

from __future__ import annotations

import hashlib
import hmac

from .normalize import Identifier

KEY_VARIABLE = "TROPEWATCH_MEMBERS_KEY"
MIN_KEY_CHARS = 32
_MAKE_A_KEY = (
    f"e.g. {KEY_VARIABLE}=$(python -c 'import secrets; print(secrets.token_urlsafe(32))'); "
    "keep it as safe as the database password, and keep it: a list hashed under one key "
    "matches nothing under another"
)
# HMAC of this text is stored with a list, so that a lookup under another key says so
# instead of reporting everyone as "not a member".
_FINGERPRINT_MESSAGE = b"tropewatch members key fingerprint"


class KeyProblem(Exception):
    """The key is missing or too weak; the message says how to make one."""


def checked_key(value: str) -> bytes:
    if not value:
        raise KeyProblem(f"{KEY_VARIABLE} is not set: member lists are stored only as keyed "
                         f"hashes, and the key comes from the environment, {_MAKE_A_KEY}")
    if len(value) < MIN_KEY_CHARS:
        raise KeyProblem(f"{KEY_VARIABLE} is too short ({len(value)} characters): it needs "
                         f"at least {MIN_KEY_CHARS} random characters, {_MAKE_A_KEY}")
    return value.encode("utf-8")


def digest(key: bytes, org_id: int, identifier: Identifier) -> str:
    """The organisation is part of the message: the same person on two organisations' lists
    gives two unrelated digests, so the lists cannot be joined without the key."""
    message = "\x1f".join(
        (str(org_id), identifier.kind, identifier.platform, identifier.value)
    ).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def fingerprint(key: bytes) -> str:
    return hmac.new(key, _FINGERPRINT_MESSAGE, hashlib.sha256).hexdigest()[:16]
