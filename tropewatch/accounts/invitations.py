"""Invitations: an organisation admin makes a link, and may have it emailed; whoever opens it
in time joins in the role the admin chose. Each link works once."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from tropewatch.orgs.models import Organisation

from .models import Invitation, Membership, token_digest


class InvitationUnusable(Exception):
    """The invitation expired, was revoked, or was accepted already."""


class InvitationNotSent(Exception):
    """The mail server refused the invitation; it was revoked, so no unknown link is open."""


def create_invitation(
    org: Organisation, role: str, invited_by: AbstractBaseUser, invitee: str = "",
    email: str = "",
) -> tuple[Invitation, str]:
    """A new invitation and its token; the token is returned once and never stored."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        org=org, role=role, invitee=invitee or email, email=email,
        token_sha256=token_digest(token),
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS),
    )
    return invitation, token


def email_invitation(invitation: Invitation, link: str) -> None:
    """Sends ``link`` to the invitation's address. When that fails the invitation is revoked
    (its link was never seen by anyone) and ``InvitationNotSent`` says why."""
    context = {"invitation": invitation, "link": link, "org": invitation.org,
               "inviter": invitation.invited_by, "expires_at": invitation.expires_at}
    try:
        send_mail(
            render_to_string("accounts/email/invitation_subject.txt", context).strip(),
            render_to_string("accounts/email/invitation.txt", context),
            None, [invitation.email],
        )
    except OSError as exc:  # smtplib's errors are OSErrors, as are refused connections
        revoke_invitation(invitation)
        raise InvitationNotSent(f"{invitation.email}: the mail server refused it ({exc})") from exc


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
        if invitation.email and not user.email:
            user.email = invitation.email
            user.save(update_fields=["email"])
    return membership


def revoke_invitation(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )
