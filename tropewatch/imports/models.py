"""One import of one input file, with its counts, its errors and where it got to."""

from __future__ import annotations

from django.db import models

from tropewatch.posts.models import PLATFORM_CHOICES, OrgScoped, Source

# Enough to show someone what is wrong with a file; the count keeps the full total.
MAX_STORED_ERRORS = 1000


class ImportRun(OrgScoped):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    # A run in these states never finished: importing the same input again resumes it.
    RESUMABLE = (Status.QUEUED, Status.RUNNING)

    source = models.ForeignKey(Source, on_delete=models.RESTRICT, related_name="import_runs")
    platform = models.CharField(max_length=20, choices=PLATFORM_CHOICES)
    input_path = models.TextField(help_text="Where the input was read from.")
    options = models.JSONField(default=dict, blank=True, help_text="Parser options, if any.")
    # Recognise the same input again, wherever it has been moved to.
    file_sha256 = models.CharField(max_length=64)
    file_size = models.PositiveBigIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    message = models.TextField(blank=True, help_text="Why the import failed, if it did.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The resume cursor: how many input records (posts and record errors, in input order)
    # are committed. It advances in the same transaction as the posts it covers.
    records_committed = models.PositiveBigIntegerField(default=0)
    new_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    # Records not stored: posts already stored unchanged, and those passed over on purpose
    # (ingest.records.SKIP_KINDS), which skip_reasons counts by reason, e.g. {"boost": 3}.
    skipped_count = models.PositiveIntegerField(default=0)
    skip_reasons = models.JSONField(default=dict, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    # The first MAX_STORED_ERRORS record errors: {"source", "line", "record", "kind", "message"}.
    error_list = models.JSONField(default=list, blank=True)
    # Liveness, for runs the workers carry out (tropewatch/imports/recovery.py): a worker
    # whose run shows no life for IMPORT_STALE_SECONDS is presumed dead and the run re-queued.
    by_worker = models.BooleanField(default=False, help_text="A worker has started it.")
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="When it last started or committed a batch."
    )
    lost_attempts = models.PositiveSmallIntegerField(
        default=0,
        help_text="Workers that died on the batch after the cursor; its commit resets it.",
    )

    class Meta:
        indexes = [
            models.Index(fields=["org", "source", "file_sha256"], name="importrun_same_input"),
            models.Index(fields=["org", "-created_at"], name="importrun_org_newest"),
        ]

    def __str__(self) -> str:
        return f"import #{self.pk} of {self.input_path} ({self.status})"

    @property
    def is_resumable(self) -> bool:
        return self.status in self.RESUMABLE


# Keys name a stream: the connector, then its query, account or filter. Longer keys are
# shortened by the cursor store, which keeps them unique with a digest.
CURSOR_KEY_LENGTH = 300


class LiveCursor(OrgScoped):
    """How far a live connector has read one stream for an organisation, so that the next
    ``tropewatch follow`` of that stream carries on from there.

    ``value`` means what the connector says it means: a search time, a status id, a
    Jetstream ``time_us`` with the posts just before it.
    """

    key = models.CharField(max_length=CURSOR_KEY_LENGTH)
    value = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "key"], name="livecursor_unique_key_per_org")
        ]

    def __str__(self) -> str:
        return f"cursor {self.key}"


class JudgingChunk(OrgScoped):
    """One batch of an import's texts, waiting for any worker to judge it.

    A large import that a Celery worker carries out hands each batch's texts to the other
    workers (on this machine or others) as a chunk, and stores the verdicts they return, in
    input order, itself (tropewatch/imports/shared_judging.py). A chunk only caches verdicts:
    the importing worker judges a chunk itself when no worker has taken it, or when the
    worker that took it has gone quiet. Its row is deleted once its batch is stored.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"

    run = models.ForeignKey(
        ImportRun, on_delete=models.CASCADE, related_name="chunks", db_index=False
    )
    policy = models.CharField(max_length=20)
    texts = models.JSONField(default=list, help_text="Cleared once judged.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    claimed_by = models.CharField(max_length=200, blank=True, help_text="host:pid")
    claimed_at = models.DateTimeField(null=True, blank=True)
    # One ``Verdict.to_dict`` per text, in the same order.
    verdicts = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["org", "run"], name="judgingchunk_of_run")]

    def __str__(self) -> str:
        return f"chunk #{self.pk} of import #{self.run_id} ({self.status})"
