"""Who belongs to which organisation, in which role, and the invitations that bring them in."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from tropewatch.posts.models import OrgScoped

from .roles import Role


class Membership(OrgScoped):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "user"], name="membership_one_role_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.org}"


def token_digest(token: str) -> str:
    """Invitations store only a digest: a leaked database row cannot be turned into a link."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Invitation(OrgScoped):
    role = models.CharField(max_length=20, choices=Role.choices)
    # Who the link was meant for, as the admin wrote it; only a reminder, never checked.
    invitee = models.CharField(max_length=200, blank=True)
    token_sha256 = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["org", "-created_at"], name="invitation_org_newest")]

    def __str__(self) -> str:
        return f"invitation to {self.org} as {self.role}"

    @property
    def usable(self) -> bool:
        return (
            self.accepted_at is None and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
