"""Accounts a moderator linked as one person.

An account without a link is a person of its own. Links are made by hand (suggestions only
point at candidates): a wrong link would count one person's posts against another.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from tropewatch.posts.models import Author, OrgScoped


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
