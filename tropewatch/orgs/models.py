"""Organisations and the one way to query their data.

A deployment can host several organisations (a campaign group and a party's complaints unit,
say) whose data must never mix. Every other model carries an ``org`` foreign key and an
``OrgScopedQuerySet``, and code reads through ``Model.objects.for_org(org)``.
"""

from __future__ import annotations

from django.db import models

# The detector's policy module is light (no model, no numpy): one source for the names.
from tropewatch.detector.policy import POLICY_NAMES

POLICY_CHOICES = list(POLICY_NAMES.items())


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    policy = models.CharField(
        max_length=20,
        choices=POLICY_CHOICES,
        default="ihra",
        help_text="The definition of antisemitism the detector applies.",
    )
    retain_dismissed_days = models.PositiveIntegerField(
        null=True, blank=True,
        help_text="Dismissed posts (not in a complaint case) are erased this many days after "
                  "their dismissal; empty keeps them.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrgScopedQuerySet(models.QuerySet):
    def for_org(self, org: Organisation) -> OrgScopedQuerySet:
        return self.filter(org=org)
