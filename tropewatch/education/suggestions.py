"""What a confirmed post's suggested replies are composed from: the categories the moderator
confirmed (else the detector's) and every span any scan of the post matched."""

from __future__ import annotations

from tropewatch.detector.replies import Draft, compose_replies
from tropewatch.posts.models import Detection, Post
from tropewatch.review.item_page import current_detection
from tropewatch.review.models import ReviewEvent
from tropewatch.review.status import Action


def reply_categories(post: Post) -> list[str]:
    confirmed = (ReviewEvent.objects.filter(post=post, action=Action.CONFIRM)
                 .order_by("-created_at", "-pk").first())
    if confirmed and confirmed.categories:
        return list(confirmed.categories)
    detection = current_detection(post)
    return [str(found.get("id", "")) for found in detection.categories] if detection else []


def span_terms(post: Post) -> list[str]:
    """Matched texts from every scan of the post, not only the current one: more words kept
    out of a reply is the safe side."""
    spans = Detection.objects.filter(post=post).values_list("spans", flat=True)
    return [str(span.get("term", "")) for found in spans for span in found
            if isinstance(span, dict) and span.get("term")]


def suggested_replies(post: Post) -> list[Draft]:
    return compose_replies(reply_categories(post), span_terms(post))

