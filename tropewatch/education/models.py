"""Call-outs: replies a moderator approved to a confirmed post, and their posting.

Like the review log, the call-out log is append-only (see ``review.models.AppendOnly``):
approving a reply appends one row with its final text, and marking it posted appends another,
pointing at the approval, with the reply's address. What a group has said in public can then
be read back, and counted, exactly as it was.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from tropewatch.accounts.roles import Role
from tropewatch.detector.replies import TONES
from tropewatch.posts.models import Post
from tropewatch.review.models import AppendOnly

MAX_REPLY_CHARS = 2000


class CallOut(AppendOnly):
    class Action(models.TextChoices):
        APPROVED = "approved", "approved a reply"
        POSTED = "posted", "posted the reply"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="call_outs")
    # The account may be deleted one day; the name and role at the time stay in the log.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(max_length=150)
    actor_role = models.CharField(max_length=20, choices=Role.choices)
    action = models.CharField(max_length=20, choices=Action.choices)
    tone = models.CharField(max_length=20, choices=[(tone, tone) for tone in TONES])
    text = models.TextField(max_length=MAX_REPLY_CHARS)
    approval = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="postings", help_text="For posted: what was posted.")
    url = models.URLField(max_length=500, blank=True, help_text="For posted: the reply's address.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["org", "action", "created_at"],
                                name="call_out_org_counts")]

    def __str__(self) -> str:
        return f"{self.actor_name} ({self.actor_role}) {self.action} a reply to post {self.post_id}"
