"""Allies, the calls to action a lead sends them, each delivery, and what allies answered.

An ally is a supporter outside the console: no account, only a name and where to reach them
(an email address, a chat webhook, or both). That is all tropewatch keeps about them, and
erasing an ally deletes the row with its pending deliveries; their answers stay, no longer
pointing at anyone, so the group's counts do not change.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from tropewatch.posts.models import OrgScoped, Post


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a time zone name such as Europe/London.")


class Ally(OrgScoped):
    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "As it happens"
        DIGEST = "digest", "Daily digest"

    class WebhookFormat(models.TextChoices):
        SLACK = "slack", "Slack"
        MATRIX = "matrix", "Matrix (hookshot)"
        DISCORD = "discord", "Discord"

    name = models.CharField(max_length=100, help_text="How the group knows them; a first name "
                                                      "is enough.")
    email = models.EmailField(blank=True)
    webhook_url = models.URLField(max_length=500, blank=True)
    webhook_format = models.CharField(max_length=10, choices=WebhookFormat.choices,
                                      blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices,
                                 default=Frequency.IMMEDIATE)
    quiet_from = models.TimeField(null=True, blank=True)
    quiet_until = models.TimeField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, default="Europe/London",
                                 validators=[validate_time_zone])
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["org", "name"], name="ally_org_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def subscribed(self) -> bool:
        return self.unsubscribed_at is None


class CallToAction(OrgScoped):
    """A lead's request to allies to answer one confirmed public post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="calls_to_action")
    # The account may be deleted one day; the name at the time stays.
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                related_name="+")
    sent_by_name = models.CharField(max_length=150)
    # The console's address as the lead reached it: the worker that sends the call has no
    # request to build the allies' answer links from.
    site_url = models.URLField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]


class Delivery(OrgScoped):
    """One call to one ally over one channel: sent alone or in the ally's digest, retried with
    backoff until it goes or the attempts run out."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        WEBHOOK = "webhook", "Webhook"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        SENT = "sent", "Sent"
        FAILED = "failed", "Gave up"

    call = models.ForeignKey(CallToAction, on_delete=models.CASCADE, related_name="deliveries")
    ally = models.ForeignKey(Ally, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Not before this time: the ally's digest hour, the end of their quiet hours, the next
    # retry, or the lease of the worker sending it now.
    due_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call", "ally", "channel"],
                                               name="one_delivery_per_channel")]
        indexes = [models.Index(fields=["status", "due_at"], name="delivery_due")]


class AllyResponse(OrgScoped):
    class Answer(models.TextChoices):
        REPLIED = "replied", "I replied"
        REPORTED = "reported", "I reported it"

    call = models.ForeignKey(CallToAction, on_delete=models.CASCADE, related_name="responses")
    # Kept when the ally is erased: the count stays, the person goes.
    ally = models.ForeignKey(Ally, null=True, on_delete=models.SET_NULL, related_name="+")
    answer = models.CharField(max_length=10, choices=Answer.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call", "ally", "answer"],
                                               name="one_answer_per_ally")]
        indexes = [models.Index(fields=["org", "created_at"], name="ally_response_counts")]
