"""Cases, their append-only log, and the state it folds to.

A case holds one author, or several accounts a lead linked as one person, and the confirmed
posts the complaint is about. ``Case.state`` and ``Case.outcome`` are a projection of the
log (``status.state_from_events``), written only by ``services`` in the transaction that
appends the event.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from tropewatch.accounts.roles import Role
from tropewatch.posts.models import Author, OrgScoped, Post
from tropewatch.review.models import AppendOnly

from .status import ACTION_NAMES, OUTCOME_NAMES, STATE_NAMES, CaseAction, CaseState, Outcome


class Case(OrgScoped):
    title = models.CharField(max_length=200)
    state = models.CharField(max_length=20, choices=list(STATE_NAMES.items()),
                             default=CaseState.OPEN)
    outcome = models.CharField(max_length=30, choices=list(OUTCOME_NAMES.items()), blank=True)
    authors = models.ManyToManyField(Author, related_name="cases")
    posts = models.ManyToManyField(Post, related_name="cases")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["org", "state", "-updated_at"], name="case_by_state")]

    def __str__(self) -> str:
        return f"case {self.pk}: {self.title}"


class CaseEvent(AppendOnly):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    # As in the review log: the name and role at the time stay if the account goes.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(max_length=150)
    actor_role = models.CharField(max_length=20, choices=Role.choices)
    action = models.CharField(
        max_length=20,
        choices=[(a.value, ACTION_NAMES.get(a, a.value.replace("_", " "))) for a in CaseAction])
    outcome = models.CharField(max_length=30, choices=[(o.value, OUTCOME_NAMES[o])
                                                       for o in Outcome], blank=True)
    post_ids = models.JSONField(default=list, blank=True,
                                help_text="Posts the event added to the case.")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.actor_name} ({self.actor_role}) {self.action} case {self.case_id}"
