"""Personal API tokens: one user, one organisation, revocable, only a digest stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from tropewatch.posts.models import OrgScoped


class ApiToken(OrgScoped):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(max_length=100,
                            help_text="Where the token is used, to tell them apart.")
    # SHA-256 of the token: a leaked database row cannot be used to call the API.
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["org", "user"], name="api_token_owner")]

    def __str__(self) -> str:
        # Throttles key on this (ninja's AuthRateThrottle): the token's id, never its secret.
        return f"api-token-{self.pk}"
