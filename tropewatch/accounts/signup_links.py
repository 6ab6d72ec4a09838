"""Signup links: one link for many people (a campaign's supporters, by default as reporters)
that works until it expires, is revoked, or has been used its maximum number of times."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tropewatch.orgs.models import Organisation

from .invitations import InvitationUnusable
from .models import Membership, SignupLink, token_digest


def create_signup_link(
    org: Organisation, role: str, created_by: AbstractBaseUser, expires_at: datetime,
    max_uses: int,
) -> tuple[SignupLink, str]:
    """A new link and its token; the token is returned once and only its digest is kept."""
    token = secrets.token_urlsafe(32)
    link = SignupLink.objects.create(
        org=org, role=role, token_sha256=token_digest(token), created_by=created_by,
        expires_at=expires_at, max_uses=max_uses,
    )
    return link, token


def find_signup_link(token: str) -> SignupLink | None:
    return (
        SignupLink.objects.select_related("org").filter(token_sha256=token_digest(token)).first()
    )


def join_by_signup_link(link: SignupLink, user: AbstractBaseUser) -> Membership:
    """Make ``user`` a member in the link's role, counting one use.

    The use is one conditional UPDATE (``uses < max_uses``), so however many people open the
    link at once no more than ``max_uses`` join. Someone who is a member already keeps their
    role (a shared link must never demote an admin) and uses nothing up."""
    with transaction.atomic():
        existing = Membership.objects.filter(user=user, org_id=link.org_id).first()
        if existing is not None:
            return existing
        taken = SignupLink.objects.filter(
            pk=link.pk, revoked_at__isnull=True, expires_at__gt=timezone.now(),
            uses__lt=F("max_uses"),
        ).update(uses=F("uses") + 1)
        if not taken:
            raise InvitationUnusable
        return Membership.objects.create(user=user, org_id=link.org_id, role=link.role)


def revoke_signup_link(link: SignupLink) -> None:
    SignupLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
