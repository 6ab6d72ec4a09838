"""Flags made directly for tests that need one on a post they already made, and images."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from tropewatch.review.priority import refresh_posts
from tropewatch.submissions.models import Screenshot, Submission
from tropewatch.submissions.screenshots import reencode


def image_bytes(width: int = 40, height: int = 30, kind: str = "PNG", **save_args) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format=kind, **save_args)
    return out.getvalue()


def flag(org, post, user, *, screenshot: bool = False, note: str = "") -> Submission:
    submission = Submission.objects.create(
        org=org, post=post, reporter=user, seen_at=datetime.now(UTC), note=note,
        url_sha256="0" * 64,
    )
    refresh_posts([post])  # as submit does: one reporter more
    if screenshot:
        pixels = reencode(image_bytes())
        Screenshot.objects.create(org=org, submission=submission, data=pixels.data,
                                  sha256=pixels.sha256, content_type=pixels.content_type,
                                  width=pixels.width, height=pixels.height)
    return submission
