"""Where posts came from, who wrote them, what they said, and what the detector made of them.

Post text, author names and bios are hostile, untrusted input: they are stored as given and
must be escaped wherever they are shown.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from tropewatch.orgs.models import POLICY_CHOICES, Organisation, OrgScopedQuerySet

PLATFORM_CHOICES = [
    ("facebook", "Facebook"),
    ("x", "X (Twitter)"),
    ("bluesky", "Bluesky"),
    ("mastodon", "Mastodon"),
    ("csv", "CSV file"),
    ("jsonl", "JSON Lines file"),
    ("other", "Other site"),  # flagged by a supporter on a site tropewatch does not import
]

SOURCE_KIND_CHOICES = [
    ("group", "Group"),
    ("page", "Page"),
    ("account", "Account"),
    ("hashtag", "Hashtag"),
    ("feed", "Feed or mixed export"),
]

# Long enough for a Bluesky at:// URI, the longest post id any platform uses.
PLATFORM_ID_LENGTH = 512


class OrgScoped(models.Model):
    """Every model but Organisation belongs to exactly one organisation."""

    # No index of its own: every model's constraints and indexes start with org.
    org = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class Source(OrgScoped):
    """A group, page, account, hashtag or feed an organisation watches."""

    platform = models.CharField(max_length=20, choices=PLATFORM_CHOICES)
    kind = models.CharField(max_length=20, choices=SOURCE_KIND_CHOICES, default="feed")
    name = models.CharField(max_length=200)
    url = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org", "platform", "name"], name="source_unique_name_per_platform"
            )
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_platform_display()})"


class Author(OrgScoped):
    platform = models.CharField(max_length=20, choices=PLATFORM_CHOICES)
    platform_id = models.CharField(max_length=PLATFORM_ID_LENGTH)
    handle = models.CharField(max_length=300, blank=True)
    display_name = models.CharField(max_length=300, blank=True)
    bio = models.TextField(blank=True, help_text="The profile text when last imported.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org", "platform", "platform_id"], name="author_unique_per_platform"
            )
        ]

    def __str__(self) -> str:
        return self.handle or self.display_name or self.platform_id


class Post(OrgScoped):
    # source and author are indexed together with created_at, below.
    source = models.ForeignKey(
        Source, on_delete=models.RESTRICT, related_name="posts", db_index=False
    )
    # Erasing an author (a data subject's request) erases what they posted.
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.CASCADE, related_name="posts",
        db_index=False,
    )
    platform = models.CharField(max_length=20, choices=PLATFORM_CHOICES)
    platform_id = models.CharField(max_length=PLATFORM_ID_LENGTH)
    text = models.TextField()
    created_at = models.DateTimeField()
    url = models.CharField(max_length=2000, blank=True)
    # The parent's id as the platform gave it, kept even while the parent is not imported;
    # ``parent`` is linked as soon as a post with that id is.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    parent_platform_id = models.CharField(max_length=PLATFORM_ID_LENGTH, null=True, blank=True)
    # The parent's address where the record gave one, to point at a parent not imported.
    parent_url = models.CharField(max_length=2000, blank=True)
    thread_root_id = models.CharField(max_length=PLATFORM_ID_LENGTH, null=True, blank=True)
    reach = models.JSONField(default=dict, blank=True, help_text="likes, shares, replies, views")
    raw = models.JSONField(default=dict, blank=True, help_text="The record as the input had it.")
    content_sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org", "platform", "platform_id"], name="post_unique_per_platform"
            )
        ]
        indexes = [
            models.Index(fields=["org", "-created_at"], name="post_org_newest"),
            models.Index(fields=["source", "-created_at"], name="post_source_newest"),
            models.Index(fields=["author", "-created_at"], name="post_author_newest"),
            models.Index(
                fields=["org", "platform", "parent_platform_id"], name="post_waiting_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform} post {self.platform_id}"

    @property
    def label(self) -> str:
        """What the console calls the post everywhere: headings, messages, the queue."""
        return f"Post {self.pk}"


class Detection(OrgScoped):
    """One detector verdict on one post, for one policy and model version.

    ``content_sha256`` is the hash of the text the verdict judged: when a post's text changes,
    its detection no longer matches and the post is scanned again.
    """

    # Indexed by the unique constraint, which starts with post.
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="detections", db_index=False
    )
    antisemitic = models.BooleanField()
    score = models.FloatField()
    categories = models.JSONField(default=list, blank=True)
    spans = models.JSONField(default=list, blank=True)
    counter_speech = models.FloatField(default=0.0)
    explanation = models.TextField(blank=True)
    model_version = models.CharField(max_length=100)
    policy = models.CharField(max_length=20, choices=POLICY_CHOICES)
    content_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    # The review queue's sort key where this verdict flags its post (it or a supporter),
    # NULL where it does not: written by tropewatch.review.priority, which says how.
    priority = models.FloatField(null=True, blank=True, editable=False)
    # Whether the post's review status is confirmed or dismissed, copied from its review
    # state by tropewatch.review.priority: the queue's open and pending views walk only the
    # undecided candidates (detection_queue_pending) instead of stepping over every decided
    # item at the top of the queue, where moderators work. A database default, because
    # scans write detections by raw upsert without naming it.
    decided = models.BooleanField(db_default=False, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "policy", "model_version"], name="detection_one_per_model_policy"
            )
        ]
        indexes = [
            # The review queue: an organisation's flagged posts, highest score first.
            models.Index(
                fields=["org", "policy", "antisemitic", "-score"], name="detection_queue"
            ),
            # The queue in priority order: only the detections that flag their post.
            models.Index(
                fields=["org", "policy", "model_version", "-priority", "-post"],
                condition=models.Q(priority__isnull=False), name="detection_queue_priority",
            ),
            # The same, less what has been decided: the open and pending queue.
            models.Index(
                fields=["org", "policy", "model_version", "-priority", "-post"],
                condition=models.Q(priority__isnull=False, decided=False),
                name="detection_queue_pending",
            ),
        ]

    def __str__(self) -> str:
        decision = "antisemitic" if self.antisemitic else "not flagged"
        return f"{decision} ({self.score:.2f}, {self.policy}, {self.model_version})"
