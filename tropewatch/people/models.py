"""Accounts a moderator linked as one person.

An account without a link is a person of its own. Links are made by hand (suggestions only
point at candidates): a wrong link would count one person's posts against another.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from tropewatch.accounts.roles import Role
from tropewatch.posts.models import Author, OrgScoped
from tropewatch.review.models import AppendOnly


class Person(OrgScoped):
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"person {self.pk}"


class LinkedAccount(OrgScoped):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="accounts")
    author = models.OneToOneField(Author, on_delete=models.CASCADE, primary_key=True,
                                  related_name="link")
    linked_by = models.CharField(max_length=150)
    linked_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.author} is {self.person}"


class LinkEvent(AppendOnly):
    """Who linked or unlinked which accounts, and when: a link counts one person's posts
    against another, so it is never made or undone without a trace. (Erasing an account
    erases its link events with it.)"""

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Author, null=True, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=10, choices=[("link", "linked"),
                                                      ("unlink", "unlinked")])
    actor_name = models.CharField(max_length=150)
    actor_role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.author_id} {self.other_id or ''}"
