"""Running the detector over stored posts and keeping one current verdict per post.

A post needs a scan when it has no detection for the policy and model version in force, or
when the detection it has judged different text (its ``content_sha256`` no longer matches).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tropewatch.clusters.assign import assign as assign_clusters
from tropewatch.detector.verdict import Verdict
from tropewatch.impact.stale import mark_posts
from tropewatch.orgs.models import Organisation
from tropewatch.review.priority import refresh_posts

from .bulk import upsert
from .models import Detection, Post

# Posts the detector classifies at once, and posts per rescan transaction.
SCAN_BATCH_SIZE = 500

_DETECTION_COLUMNS = [
    "org", "post", "policy", "model_version", "antisemitic", "score", "categories", "spans",
    "counter_speech", "explanation", "content_sha256", "created_at",
]


@dataclass(frozen=True, slots=True)
class PostText:
    id: int
    text: str
    content_sha256: str


def current_model_version(org: Organisation) -> str:
    """The version the organisation's detections are current under: its own head's, where
    ``tropewatch adapt`` put one in force, else the shipped model's."""
    from tropewatch.adaptation.services import active_head
    from tropewatch.detector import model_version

    head = active_head(org)
    return head.version if head is not None else model_version()


def needing_scan(posts: Sequence[PostText], policy: str, model_version: str) -> list[PostText]:
    """The posts whose current detection is missing or judged other text."""
    judged = dict(
        Detection.objects.filter(
            post_id__plain_in=[post.id for post in posts], policy=policy,
            model_version=model_version,
        ).values_list("post_id", "content_sha256")
    )
    return [post for post in posts if judged.get(post.id) != post.content_sha256]


def scan_posts(org: Organisation, posts: Sequence[PostText], policy: str,
               judged: Mapping[str, dict] | None = None) -> int:
    """Detect on each post (through the organisation's head, where one is in force) and store
    the verdicts, replacing those of the same policy and model version. ``judged`` holds
    the shipped detector's verdicts of some texts under ``policy``, computed ahead (see
    ``imports.scan_ahead``). Call inside the transaction that stored the posts."""
    if not posts:
        return 0
    from tropewatch.adaptation.services import active_head
    from tropewatch.detector.taxonomy import load_taxonomy

    verdicts = _verdicts([post.text for post in posts], policy, judged or {})
    head = active_head(org)
    if head is not None:
        taxonomy = load_taxonomy()
        verdicts = (head.apply(verdict, taxonomy) for verdict in verdicts)
    now = timezone.now()
    rows, flagged = [], []
    for post, verdict in zip(posts, verdicts, strict=True):
        if verdict.antisemitic:
            flagged.append((post.id, post.text))
        data = verdict.to_dict()
        rows.append((
            org.pk, post.id, verdict.policy, verdict.model_version, verdict.antisemitic,
            verdict.score, data["categories"], data["spans"], verdict.counter_speech,
            verdict.explanation, post.content_sha256, now,
        ))
    upsert(Detection, _DETECTION_COLUMNS, rows, unique=["post", "policy", "model_version"])
    refresh_posts(post.id for post in posts)  # the queue's stored priority
    mark_posts(org.pk, [post.id for post in posts])
    # Only the queue groups copies, and it shows flagged posts only: clustering every post
    # cost 32 bucket rows per post and made PostgreSQL imports 4-5 times slower.
    assign_clusters(org, flagged)
    return len(rows)


def _verdicts(texts: Sequence[str], policy: str, judged: Mapping[str, dict]) -> list[Verdict]:
    """The verdicts of ``texts`` in order: from ``judged`` where it has the text, from the
    detector for the rest."""
    from tropewatch.detector import detect_batch

    missing = [text for text in texts if text not in judged]
    detected = iter(detect_batch(missing, policy=policy))
    return [Verdict.from_dict(judged[text]) if text in judged else next(detected)
            for text in texts]


def rescan(
    org: Organisation | None = None,
    policy: str | None = None,
    *,
    everything: bool = False,
    batch_size: int = SCAN_BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Scan the posts of one organisation (or all) under ``policy`` (default: each
    organisation's own), after a model or policy change. Posts whose detection is already
    current are left alone unless ``everything``; each batch commits on its own, so an
    interrupted rescan simply carries on when run again. Returns the number of posts scanned."""
    orgs = [org] if org is not None else list(Organisation.objects.order_by("pk"))
    scanned = 0
    for organisation in orgs:
        org_policy = policy or organisation.policy
        model_version = current_model_version(organisation)
        last_id = 0
        while True:
            # Keyset pagination: constant cost per batch however far into the table.
            rows = list(
                Post.objects.for_org(organisation)
                .filter(pk__gt=last_id)
                .order_by("pk")
                .values_list("pk", "text", "content_sha256")[:batch_size]
            )
            if not rows:
                break
            last_id = rows[-1][0]
            posts = [PostText(*row) for row in rows]
            if not everything:
                posts = needing_scan(posts, org_policy, model_version)
            with transaction.atomic():
                scanned += scan_posts(organisation, posts, org_policy)
            if progress is not None:
                progress(scanned)
    return scanned
