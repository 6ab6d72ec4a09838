"""Invitations: an organisation admin makes a link; whoever opens it in time joins in the
role the admin chose. Each link works once."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from tropewatch.orgs.models import Organisation

from .models import Invitation, Membership, token_digest


class InvitationUnusable(Exception):
    """The invitation expired, was revoked, or was accepted already."""


def create_invitation(
    org: Organisation, role: str, invited_by: AbstractBaseUser, invitee: str = ""
) -> tuple[Invitation, str]:
    """A new invitation and its token; the token is returned once and never stored."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        org=org, role=role, invitee=invitee, token_sha256=token_digest(token),
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS),
    )
    return invitation, token


def find_invitation(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("org").filter(token_sha256=token_digest(token)).first()
    )


def accept_invitation(invitation: Invitation, user: AbstractBaseUser) -> Membership:
    """Make ``user`` a member in the invited role (changing the role of an existing member).

    Marking the invitation accepted is one conditional UPDATE, so of two people opening the
    same link at once exactly one joins."""
    now = timezone.now()
    with transaction.atomic():
        taken = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True,
            expires_at__gt=now,
        ).update(accepted_at=now, accepted_by=user)
        if not taken:
            raise InvitationUnusable
        membership, _ = Membership.objects.update_or_create(
            user=user, org=invitation.org, defaults={"role": invitation.role}
        )
    return membership


def revoke_invitation(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )
