"""Making, checking and revoking API tokens.

A token is ``tw_`` and 32 random bytes (URL-safe base64); it is shown once, when made, and
stored as its SHA-256 (the digest invitations use). It speaks for its user in its organisation
with the role the user has there now: a member who leaves or changes role takes their tokens
with them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from tropewatch.accounts.access import role_in
from tropewatch.accounts.models import token_digest
from tropewatch.orgs.models import Organisation

from .models import ApiToken

PREFIX = "tw_"
# Writing last_used_at on every call would make each read a write.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who an API request speaks for: ``request.auth`` in the API's operations."""

    token: ApiToken
    role: str

    @property
    def org(self) -> Organisation:
        return self.token.org

    @property
    def user(self) -> AbstractBaseUser:
        return self.token.user

    def __str__(self) -> str:
        return str(self.token)


def create_token(org: Organisation, user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(org=org, user=user, name=name,
                                    token_sha256=token_digest(secret))
    return token, secret


def caller_for(secret: str) -> Caller | None:
    """The caller a bearer token speaks for, or None: unknown, revoked, or its user no longer
    an active member of the token's organisation."""
    if not secret.startswith(PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("org", "user")
        .filter(token_sha256=token_digest(secret), revoked_at__isnull=True).first()
    )
    if token is None:
        return None
    role = role_in(token.user, token.org)
    if role is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return Caller(token, role)


def revoke_token(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
