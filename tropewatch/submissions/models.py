"""Supporters' flags: each submission of a post by a reporter, and the screenshot with it.

Several submissions of one post share its item (the Post) and raise its queue priority; the
note, category guess and screenshot stay with the submission that brought them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from tropewatch.posts.models import OrgScoped, Post


class Submission(OrgScoped):
    # Indexed by the index below, which starts with post.
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="submissions",
                             db_index=False)
    # An account deleted later leaves its flags counted (but no longer shown as anyone's).
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                 related_name="submissions")
    seen_at = models.DateTimeField()
    note = models.TextField(blank=True)
    category = models.CharField(max_length=100, blank=True,
                                help_text="The supporter's guess: a taxonomy category id.")
    # SHA-256 of the normalised address: a later flag of the same address finds the post.
    url_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["post", "reporter"], name="submission_post_reporter"),
            models.Index(fields=["reporter", "-created_at"], name="submission_reporter_newest"),
            models.Index(fields=["org", "url_sha256"], name="submission_org_url"),
        ]

    def __str__(self) -> str:
        return f"post {self.post_id} flagged by {self.reporter_id}"


class Screenshot(OrgScoped):
    """Pixels only, as ``screenshots.reencode`` wrote them; kept apart so that listing
    submissions never loads images."""

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, primary_key=True,
                                      related_name="screenshot")
    data = models.BinaryField()
    # Of ``data``, taken when it was stored: evidence captured later names the screenshot by
    # it, without loading the image inside a decision (tropewatch.evidence.capture).
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"screenshot of submission {self.submission_id} ({self.width}x{self.height})"
