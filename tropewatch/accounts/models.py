"""Who belongs to which organisation, in which role, and the invitations that bring them in."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from tropewatch.posts.models import OrgScoped
from tropewatch.review.models import AppendOnly

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
    # Where the link was emailed, if it was; the account made from it gets this address, so
    # that its password can be reset by email.
    email = models.EmailField(blank=True)
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


class SignupLink(OrgScoped):
    """One link many people join by (a campaign's supporters, as reporters), until it expires,
    is revoked, or has been used ``max_uses`` times."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.REPORTER)
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    max_uses = models.PositiveIntegerField()
    uses = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["org", "-created_at"], name="signup_link_org_newest")]
        constraints = [models.CheckConstraint(condition=models.Q(uses__lte=models.F("max_uses")),
                                              name="signup_link_uses_within_max")]

    def __str__(self) -> str:
        return f"signup link to {self.org} as {self.role}"

    @property
    def usable(self) -> bool:
        return (self.revoked_at is None and self.uses < self.max_uses
                and self.expires_at > timezone.now())


class AdminAction(models.TextChoices):
    ROLE_CHANGED = "role_changed", "changed the role of"
    REMOVED = "removed", "removed"
    SECOND_FACTOR_RESET = "2fa_reset", "reset the second factor of"
    INVITED = "invited", "invited"
    SIGNUP_LINK_MADE = "link_made", "made a signup link"
    SIGNUP_LINK_REVOKED = "link_revoked", "revoked a signup link"
    AUTHOR_ERASED = "author_erased", "erased an author"
    DISMISSED_PURGED = "purged", "erased dismissed posts past retention"


class AdminEvent(AppendOnly):
    """What an organisation's admins did to its people and its data, append-only like the
    review log: who, in which role, to whom, when."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(max_length=150)
    actor_role = models.CharField(max_length=20, choices=Role.choices)
    action = models.CharField(max_length=20, choices=AdminAction.choices)
    # The member's username or the invitee's address. Never an erased author's name: the
    # erasure would otherwise leave it behind in this log.
    subject = models.CharField(max_length=200, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["org", "-created_at"], name="admin_event_org_newest")]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.get_action_display()} {self.subject}".strip()
