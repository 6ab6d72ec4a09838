"""An organisation's member list, held only as keyed hashes, and the log of who looked.

The raw list is never stored: ``MemberKey`` rows hold HMAC digests (see ``keys.py``) and
``MemberList`` says which kinds of identifier the list had, so that an author whose kind of
identifier the list lacks is "unknown" rather than "not a member".

``MembershipLook`` is append-only, like the review log: the model and its querysets refuse
updates and deletes. (Erasing an author for a data subject's request still erases the looks at
them: the database cascade does not go through these methods.)
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from tropewatch.accounts.roles import Role
from tropewatch.posts.models import Author, OrgScoped
from tropewatch.review.models import AppendOnly

from .normalize import Kind


class MemberList(OrgScoped):
    """The list an organisation imported last; importing again replaces it, keys and all."""

    imported_at = models.DateTimeField(default=timezone.now)
    rows = models.PositiveIntegerField(help_text="Rows with at least one identifier read.")
    # Identifier.scope of each kind the list holds: "email", "handle:x", "name_postcode".
    covers = models.JSONField(default=list)
    key_fingerprint = models.CharField(
        max_length=16, help_text="Which key the digests were made with (not the key)."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org"], name="member_list_one_per_org")
        ]

    def __str__(self) -> str:
        return f"member list of {self.org} ({self.rows} rows)"


class MemberKey(OrgScoped):
    # Indexed: replacing a list deletes its keys by it.
    member_list = models.ForeignKey(MemberList, on_delete=models.CASCADE, related_name="keys")
    kind = models.CharField(max_length=20, choices=[(k.value, k.value) for k in Kind])
    platform = models.CharField(max_length=20, blank=True)
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            # A lookup is one probe of this index (an organisation has one list); the same
            # person twice is one key.
            models.UniqueConstraint(
                fields=["org", "kind", "platform", "digest"], name="member_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} key of {self.member_list}"


class MembershipResult(models.TextChoices):
    MEMBER = "member", "Member"
    NOT_MEMBER = "not_member", "Not a member"
    UNKNOWN = "unknown", "Unknown"


class MembershipLook(AppendOnly):
    """One admin or lead asking whether one author is a member, and the answer they got."""

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="+",
                               db_index=False)
    # The account may be deleted one day; the name and role at the time stay in the log.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(max_length=150)
    actor_role = models.CharField(max_length=20, choices=Role.choices)
    result = models.CharField(max_length=20, choices=MembershipResult.choices)
    matched = models.CharField(max_length=60, blank=True,
                               help_text="The kind of identifier that matched.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["org", "-created_at"], name="membership_look_newest"),
            models.Index(fields=["author", "created_at"], name="membership_look_author"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name} ({self.actor_role}) looked up author {self.author_id}"
