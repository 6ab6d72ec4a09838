"""The Django side of a draft: the facts of a confirmed post, the organisation's settings, and
Mastodon servers' rules read once a day and kept in the database."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.utils import timezone

from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import Post
from tropewatch.review.item_page import current_detection
from tropewatch.review.models import ReviewEvent
from tropewatch.review.status import Action

from .credentials import reveal
from .draft import Draft, InstanceRule, Notifier, PostFacts, draft_report
from .models import InstanceRules, ReportingSettings
from .submit import MastodonServer

RULES_MAX_AGE = timedelta(days=1)


def reporting_settings(org: Organisation) -> ReportingSettings:
    return ReportingSettings.objects.filter(org=org).first() or ReportingSettings(org=org)


def confirmed_categories(post: Post) -> list[str]:
    """The categories of the confirmation that stands (the newest confirm event)."""
    event = (ReviewEvent.objects.filter(post=post, action=Action.CONFIRM)
             .order_by("-created_at", "-pk").first())
    return list(event.categories) if event else []


def mastodon_server(settings: ReportingSettings, post: Post) -> MastodonServer:
    """Reports go to the organisation's own server when it has one set; else the rules of
    the post's own server are cited for a report made there by hand."""
    if settings.mastodon_instance:
        token = reveal(settings.mastodon_token_sealed) if settings.mastodon_token_sealed else ""
        return MastodonServer(settings.mastodon_instance, token)
    host = urlsplit(post.url).netloc
    return MastodonServer(f"https://{host}") if host else MastodonServer("")


def cached_instance_rules(server: MastodonServer) -> list[InstanceRule]:
    """The server's rules, read again when older than a day."""
    cached = InstanceRules.objects.filter(instance=server.host).first()
    if cached and timezone.now() - cached.fetched_at < RULES_MAX_AGE:
        return [InstanceRule(id=r["id"], text=r["text"]) for r in cached.rules]
    rules = server.rules()
    InstanceRules.objects.update_or_create(instance=server.host, defaults={
        "rules": [{"id": r.id, "text": r.text} for r in rules], "fetched_at": timezone.now()})
    return rules


def latest_evidence_sha256(post: Post) -> str | None:
    """The hash of the newest evidence captured on the post (at its confirmation), if any."""
    from tropewatch.evidence.models import EvidenceRecord

    return (EvidenceRecord.objects.filter(post=post).order_by("-pk")
            .values_list("sha256", flat=True).first())


def build_draft(post: Post, instance_rules: list[InstanceRule] | None = None,
                instance: str = "") -> Draft:
    settings = reporting_settings(post.org)
    detection = current_detection(post)
    fresh = detection is not None and detection.content_sha256 == post.content_sha256
    return draft_report(
        PostFacts(platform=post.platform, url=post.url, text=post.text,
                  author_handle=post.author.handle if post.author else ""),
        confirmed_categories(post),
        detection.spans if fresh else [],
        latest_evidence_sha256(post),
        Notifier(org_name=post.org.name, name=settings.notifier_name,
                 email=settings.notifier_email, dsa_notices=settings.dsa_notices,
                 legal_basis_note=settings.legal_basis_note),
        instance=instance, instance_rules=instance_rules or [],
    )
