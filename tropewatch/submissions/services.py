"""A supporter's flag into the review queue, the same way an imported post gets there.

A new post is stored and scanned by ``posts.storing.store_records`` (the importers' path), so
its evidence is captured by the same review log when someone confirms or escalates it. A post
already stored (by an import or an earlier flag) is not touched: the flag is added to it, so
a second supporter raises the reporter count instead of making a duplicate. Nothing here
fetches the submitted URL.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q

from tropewatch.clusters.assign import assign as assign_clusters
from tropewatch.ingest.records import AuthorRecord, PostRecord
from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import Detection, Post, Source
from tropewatch.posts.storing import store_records
from tropewatch.review.item_page import current_detection
from tropewatch.review.priority import refresh_posts

from .models import Screenshot, Submission
from .permalinks import normalise_url
from .screenshots import Screenshot as Pixels

SOURCE_NAME = "Flagged by supporters"


@dataclass(frozen=True, slots=True)
class Flag:
    """What a supporter says about a post they met; ``url`` need not be normalised yet."""

    platform: str
    url: str
    seen_at: datetime
    text: str = ""
    author_handle: str = ""
    author_name: str = ""
    platform_id: str = ""
    posted_at: datetime | None = None
    note: str = ""
    category: str = ""
    screenshot: Pixels | None = None


@dataclass(frozen=True, slots=True)
class Flagged:
    post: Post
    submission: Submission
    merged: bool  # the post was stored before this flag
    reporters: int
    detection: Detection | None


def submit(org: Organisation, reporter: AbstractBaseUser, flag: Flag) -> Flagged:
    """Store ``flag``; raises permalinks.NotAPermalink for an address that is not http(s)."""
    url = normalise_url(flag.url)
    with transaction.atomic():
        post = _stored_post(org, flag, url)
        merged = post is not None
        if post is None:
            post = _store_post(org, flag, url)
        # A person's flag puts the post in the queue whatever its score, so into a cluster.
        assign_clusters(org, [(post.pk, post.text)])
        submission = Submission.objects.create(
            org=org, post=post, reporter=reporter, seen_at=flag.seen_at, note=flag.note,
            category=flag.category, url_sha256=_url_sha256(url),
        )
        refresh_posts([post])  # one reporter more: the queue's stored priority
        if flag.screenshot is not None:
            pixels = flag.screenshot
            Screenshot.objects.create(
                org=org, submission=submission, data=pixels.data, sha256=pixels.sha256,
                content_type=pixels.content_type, width=pixels.width, height=pixels.height,
            )
    return Flagged(post, submission, merged, reporter_count(post), current_detection(post))


def reporter_count(post: Post) -> int:
    """Distinct supporters who flagged ``post``, as the queue counts them (the flags of a
    deleted account no longer count)."""
    return (
        Submission.objects.filter(post=post).exclude(reporter=None)
        .values("reporter").distinct().count()
    )


def _url_sha256(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def _platform_id(flag: Flag, url: str) -> str:
    # Without the platform's own id, the normalised address names the post.
    return flag.platform_id or "url:" + _url_sha256(url)


def _stored_post(org: Organisation, flag: Flag, url: str) -> Post | None:
    """The post this flag is about, if stored: same platform and id (an imported post or an
    earlier flag), or an earlier flag of the same address (indexed on the submissions: posts'
    own addresses are not, and imports need no such index)."""
    flagged_address = Submission.objects.filter(org=org, url_sha256=_url_sha256(url))
    same = Q(platform=flag.platform, platform_id=_platform_id(flag, url)) | Q(
        pk__in=flagged_address.values("post_id")[:1]
    )
    return Post.objects.for_org(org).filter(same).select_related("org").order_by("pk").first()


def _store_post(org: Organisation, flag: Flag, url: str) -> Post:
    platform_id = _platform_id(flag, url)
    source, _ = Source.objects.get_or_create(
        org=org, platform=flag.platform, name=SOURCE_NAME, defaults={"kind": "feed"}
    )
    record = PostRecord(
        platform=flag.platform, platform_id=platform_id, text=flag.text,
        created_at=flag.posted_at or flag.seen_at, url=url, author=_author(flag, platform_id),
        raw={"submitted": {"url": flag.url, "author_handle": flag.author_handle,
                           "author_name": flag.author_name}},
    )
    store_records(org, source, [record], org.policy)
    return Post.objects.select_related("org").get(
        org=org, platform=flag.platform, platform_id=platform_id
    )


def _author(flag: Flag, post_platform_id: str) -> AuthorRecord | None:
    """A handle names one account on a platform; a display name alone does not (two people
    share a name), so such an author is this post's own."""
    handle = flag.author_handle.strip().removeprefix("@")
    if handle:
        author_id = f"handle:{handle.lower()}"
    elif flag.author_name.strip():
        author_id = f"post:{post_platform_id}"
    else:
        return None
    return AuthorRecord(platform=flag.platform, platform_id=author_id, handle=handle or None,
                        display_name=flag.author_name.strip() or None)
