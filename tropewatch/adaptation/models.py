"""Every head an organisation has fitted, and which one (if any) is in force.

Heads are never deleted: a detection's ``model_version`` names the head that gave it, and
``tropewatch adapt --reset`` only stops using one, so the record of what decided stays.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from tropewatch.detector.adaptation import OrgHead
from tropewatch.orgs.models import OrgScopedQuerySet
from tropewatch.posts.models import OrgScoped


class AdaptedHead(OrgScoped):
    number = models.PositiveIntegerField(help_text="1 for the organisation's first head, "
                                                   "and so on.")
    version = models.CharField(max_length=100, help_text="Recorded on every detection it gives.")
    base_version = models.CharField(max_length=40)
    head = models.JSONField(help_text="The fitted weights and threshold (OrgHead.to_json).")
    report = models.JSONField(help_text="Decisions it was fitted on and held-out figures.")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        ordering = ["org", "number"]
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="adapted_head_number"),
            models.UniqueConstraint(fields=["org"], condition=models.Q(active=True),
                                    name="adapted_head_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.version}{'' if self.active else ' (not in force)'}"

    def fitted(self) -> OrgHead:
        return OrgHead.from_json(self.head)
