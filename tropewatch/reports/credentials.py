"""Platform credentials at rest: encrypted with a key derived from SECRET_KEY.

Why encrypted rather than only hidden: a database dump or backup alone (the usual way such
data leaks) then holds no usable Bluesky app password or Mastodon token; the key lives in the
environment, not the database. The console never shows a stored credential back, only that
one is set. Changing SECRET_KEY makes stored credentials unreadable: ``reveal`` then raises
``CredentialUnreadable`` and the admin enters them again.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class CredentialUnreadable(Exception):
    """Stored with another SECRET_KEY: enter the credential again."""


def _fernet() -> Fernet:
    if not settings.SECRET_KEY:
        raise CredentialUnreadable("SECRET_KEY is not set; credentials cannot be stored")
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=b"tropewatch reports credentials").derive(settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode("ascii")


def reveal(sealed: str) -> str:
    try:
        return _fernet().decrypt(sealed.encode("ascii")).decode()
    except InvalidToken as exc:
        raise CredentialUnreadable(
            "a stored credential cannot be decrypted (SECRET_KEY changed?); enter it again"
        ) from exc
