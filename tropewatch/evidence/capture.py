"""What is written to the chain when the review log grows: every event is chained, and an
item that becomes confirmed or escalated has its evidence captured and chained after it.

Called by ``tropewatch.review.decisions.record`` inside its transaction, so an event, its
evidence and their links are stored together or not at all.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tropewatch.posts.models import Author, Detection, Post, Source
from tropewatch.review.item_page import current_detection
from tropewatch.review.models import ReviewEvent
from tropewatch.review.status import Status
from tropewatch.submissions.models import Screenshot

from .canonical import canonical_json, sha256_hex, timestamp
from .chain import append
from .models import EvidenceRecord, LinkKind
from .records import event_hash

# /2 added the supporters' screenshots; records keep the format they were captured in.
SNAPSHOT_SCHEMA = "tropewatch-evidence/2"
CAPTURED_ON = frozenset({Status.CONFIRMED, Status.ESCALATED})


def on_recorded(event: ReviewEvent, status_before: Status, status_after: Status) -> None:
    append(event.org_id, LinkKind.EVENT, event.pk, event_hash(event))
    if status_after != status_before and status_after in CAPTURED_ON:
        capture_evidence(event, status_after)


def capture_evidence(event: ReviewEvent, status: Status) -> EvidenceRecord:
    post = Post.objects.select_related("org", "source", "author").get(pk=event.post_id)
    snapshot = canonical_json(evidence_snapshot(post, event, status)).decode("utf-8")
    record = EvidenceRecord.objects.create(
        org_id=post.org_id, post=post, snapshot=snapshot,
        sha256=sha256_hex(snapshot.encode("utf-8")),
    )
    append(post.org_id, LinkKind.EVIDENCE, record.pk, record.sha256)
    return record


def evidence_snapshot(post: Post, event: ReviewEvent, status: Status) -> dict[str, Any]:
    """The post as imported, its author and source as stored now, the verdict the
    moderator saw, the supporters' screenshots (by hash), and the decision."""
    org = post.org
    return {
        "schema": SNAPSHOT_SCHEMA,
        "kind": LinkKind.EVIDENCE.value,
        "captured_at": timestamp(timezone.now()),
        "org": {"id": org.pk, "slug": org.slug, "name": org.name, "policy": org.policy},
        "post": _post(post),
        "author": _author(post.author) if post.author else None,
        "source": _source(post.source),
        "detection": _detection(current_detection(post)),
        "screenshots": screenshots_of(post),
        "decision": {
            "event": event.pk, "status": status.value, "action": event.action,
            "actor_name": event.actor_name, "actor_role": event.actor_role,
            "categories": event.categories, "reason": event.reason, "note": event.note,
            "at": timestamp(event.created_at),
        },
    }


def _post(post: Post) -> dict[str, Any]:
    return {
        "id": post.pk, "platform": post.platform, "platform_id": post.platform_id,
        "text": post.text, "url": post.url, "created_at": timestamp(post.created_at),
        "imported_at": timestamp(post.imported_at), "updated_at": timestamp(post.updated_at),
        "parent_platform_id": post.parent_platform_id, "thread_root_id": post.thread_root_id,
        "reach": post.reach, "raw": post.raw, "content_sha256": post.content_sha256,
    }


def _author(author: Author) -> dict[str, Any]:
    return {
        "id": author.pk, "platform": author.platform, "platform_id": author.platform_id,
        "handle": author.handle, "display_name": author.display_name, "bio": author.bio,
        "updated_at": timestamp(author.updated_at),
    }


def _source(source: Source) -> dict[str, Any]:
    return {"id": source.pk, "platform": source.platform, "kind": source.kind,
            "name": source.name, "url": source.url}


def screenshots_of(post: Post) -> list[dict[str, Any]]:
    """Each screenshot supporters sent with the post, by its hash: the pixels go into
    bundles beside the record (``bundle``). Which supporter sent it is left out: the
    submission's id is enough to find it, for whoever may."""
    shots = Screenshot.objects.filter(submission__post=post).order_by("submission_id")
    return [
        {"submission": shot["submission_id"], "sha256": shot["sha256"],
         "content_type": shot["content_type"], "width": shot["width"], "height": shot["height"]}
        for shot in shots.values("submission_id", "sha256", "content_type", "width", "height")
    ]


def _detection(detection: Detection | None) -> dict[str, Any] | None:
    if detection is None:
        return None
    return {
        "antisemitic": detection.antisemitic, "score": detection.score,
        "categories": detection.categories, "spans": detection.spans,
        "counter_speech": detection.counter_speech, "explanation": detection.explanation,
        "model_version": detection.model_version, "policy": detection.policy,
        "content_sha256": detection.content_sha256,
        "created_at": timestamp(detection.created_at),
    }
