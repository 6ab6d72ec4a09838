"""The review log, each item's current status (a projection of the log), and claims.

ReviewEvent is append-only: the model and its querysets refuse updates and deletes, so the
log can be trusted as the audit trail. (Erasing a post for a data subject's request still
erases its events: the database cascade does not go through these methods.)
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from tropewatch.accounts.roles import Role
from tropewatch.orgs.models import OrgScopedQuerySet
from tropewatch.posts.models import OrgScoped, Post

from .status import Action, Status


class DismissReason(models.TextChoices):
    CALLS_OUT = "calls_out", "Calls out or condemns antisemitism"
    NEWS = "news", "News or reporting"
    ISRAEL_CRITICISM = "israel_criticism", "Criticism of Israel, not antisemitic"
    NOT_ANTISEMITIC = "not_antisemitic", "Not antisemitic"
    OTHER = "other", "Other (say why in a note)"


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(OrgScopedQuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} are never changed")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} are never deleted")


class AppendOnly(OrgScoped):
    """A row of a log that is only ever appended to: the instance and its querysets refuse
    updates and deletes (the review log here, the case log in ``tropewatch.cases``)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name_plural} are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name_plural} are never deleted")


class ReviewEvent(AppendOnly):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="review_events",
                             db_index=False)
    # The account may be deleted one day; the name and role at the time stay in the log.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(max_length=150)
    actor_role = models.CharField(max_length=20, choices=Role.choices)
    action = models.CharField(max_length=20, choices=[(a.value, a.value) for a in Action])
    categories = models.JSONField(default=list, blank=True,
                                  help_text="Taxonomy ids the moderator confirmed.")
    reason = models.CharField(max_length=30, choices=DismissReason.choices, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["post", "created_at"], name="review_event_post_log"),
            models.Index(fields=["org", "-created_at"], name="review_event_org_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name} ({self.actor_role}) {self.action} post {self.post_id}"


class ReviewState(OrgScoped):
    """A post's status as ``status_from_events`` derives it from the post's log; written only
    by ``decisions.record`` in the transaction that appends the event. A flagged post without
    a row is open."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, primary_key=True,
                                related_name="review_state")
    status = models.CharField(max_length=20, choices=[(s.value, s.value) for s in Status])
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["org", "status"], name="review_state_by_status")]

    def __str__(self) -> str:
        return f"post {self.post_id}: {self.status}"


class Claim(OrgScoped):
    """A moderator working on an item: nobody else is handed it until ``expires_at``."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, primary_key=True,
                                related_name="claim")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"post {self.post_id} claimed by {self.user_id} until {self.expires_at}"
