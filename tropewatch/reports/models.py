"""An organisation's reporting settings, Mastodon servers' rules, and the reports sent to the
platforms with their append-only event log (status folded by ``status.py``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from tropewatch.accounts.roles import Role
from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import PLATFORM_CHOICES, OrgScoped, Post
from tropewatch.review.models import AppendOnly

from .status import Outcome, ReportAction, ReportStatus


class ReportingSettings(OrgScoped):
    """Who the organisation reports as, and the credentials it reports with (sealed by
    ``credentials.seal``; never shown back)."""

    # One per organisation: its key is the organisation's.
    org = models.OneToOneField(Organisation, on_delete=models.CASCADE, primary_key=True,
                               related_name="reporting")
    notifier_name = models.CharField(max_length=200, blank=True)
    notifier_email = models.EmailField(blank=True)
    dsa_notices = models.BooleanField(
        default=False, help_text="Draft notices under Article 16 of the Digital Services Act.")
    legal_basis_note = models.TextField(
        blank=True, help_text="Your member state's law, added to each notice's explanation.")
    bluesky_service = models.URLField(default="https://bsky.social")
    bluesky_handle = models.CharField(max_length=300, blank=True)
    bluesky_app_password_sealed = models.TextField(blank=True)
    mastodon_instance = models.URLField(blank=True, help_text="The server your account is on.")
    mastodon_token_sealed = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"reporting settings of {self.org}"

    @property
    def has_bluesky(self) -> bool:
        return bool(self.bluesky_handle and self.bluesky_app_password_sealed)

    @property
    def has_mastodon(self) -> bool:
        return bool(self.mastodon_instance and self.mastodon_token_sealed)


class InstanceRules(models.Model):
    """A Mastodon server's rules as its /api/v1/instance listed them when last read."""

    instance = models.CharField(max_length=253, unique=True)  # host name
    rules = models.JSONField(default=list)  # [{"id": "1", "text": "..."}]
    fetched_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"rules of {self.instance}"


class PlatformReport(OrgScoped):
    """One post reported to its platform; the fields are a projection of its events."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="platform_report")
    platform = models.CharField(max_length=20, choices=PLATFORM_CHOICES)
    status = models.CharField(max_length=20, choices=[(s.value, s.value) for s in ReportStatus])
    outcome = models.CharField(max_length=20, blank=True,
                               choices=[(o.value, o.value.replace("_", " ")) for o in Outcome])
    rules_version = models.CharField(max_length=40)
    rules_cited = models.JSONField(default=list)
    report_text = models.TextField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reference = models.CharField(max_length=300, blank=True)
    response = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["org", "status"], name="platform_report_by_status")]

    def __str__(self) -> str:
        return f"report of post {self.post_id} to {self.platform}: {self.status}"


class PlatformReportEvent(AppendOnly):
    report = models.ForeignKey(PlatformReport, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(max_length=150)
    actor_role = models.CharField(max_length=20, choices=Role.choices)
    action = models.CharField(max_length=20, choices=[(a.value, a.value) for a in ReportAction])
    outcome = models.CharField(max_length=20, blank=True)
    via_api = models.BooleanField(default=False)
    reference = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True, help_text="The platform's response, or a note.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.actor_name} ({self.actor_role}) {self.action} report {self.report_id}"
