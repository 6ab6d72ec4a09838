"""Fitting, switching off and looking up an organisation's head (``tropewatch adapt``)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from tropewatch.detector.adaptation import OrgHead
from tropewatch.orgs.models import Organisation
from tropewatch.review.models import ReviewState
from tropewatch.review.status import Status

from .models import AdaptedHead

# Decided posts read from the database and scored at once.
BATCH_SIZE = 500


def decided_posts(org: Organisation) -> tuple[list[str], list[int]]:
    """The texts of the organisation's confirmed (1) and dismissed (0) posts. Escalated and
    open posts are not decisions yet; a reopened post counts again once it is decided."""
    rows = (ReviewState.objects.for_org(org)
            .filter(status__in=[Status.CONFIRMED, Status.DISMISSED])
            .order_by("post_id").values_list("post__text", "status"))
    texts, labels = [], []
    for text, status in rows.iterator(chunk_size=BATCH_SIZE):
        texts.append(text)
        labels.append(1 if status == Status.CONFIRMED else 0)
    return texts, labels


def adapt(org: Organisation, seed: int = 13, force: bool = False) -> AdaptedHead:
    """Fit a new head on the organisation's decisions and put it in force (the previous one
    stops), or raise TooFewDecisions. A head whose held-out F1 on those decisions is no
    better than the shipped model's own is kept but not put in force, unless ``force``: with few
    decisions a head can do worse (the model card's learning curve shows it). Detections are
    not rescanned here: the caller does that (``rescan``), so that the command can show
    progress."""
    from tropewatch.detector import detect_batch
    from tropewatch.detector.training.adapt import fit_head

    texts, labels = decided_posts(org)
    verdicts = list(detect_batch(texts, policy=org.policy))
    number = (AdaptedHead.objects.for_org(org).aggregate(last=Max("number"))["last"] or 0) + 1
    base_version = verdicts[0].model_version if verdicts else ""
    fitted = fit_head(verdicts, labels, f"{base_version}+{org.slug}.{number}", seed)
    better = fitted.adapted.f1 > fitted.shipped.f1
    with transaction.atomic():
        if better or force:
            AdaptedHead.objects.for_org(org).filter(active=True).update(active=False)
        return AdaptedHead.objects.create(
            org=org, number=number, version=fitted.head.version,
            base_version=fitted.head.base_version, head=fitted.head.to_json(),
            report=fitted.report(), active=better or force)


def reset(org: Organisation) -> int:
    """Stop using the organisation's head; the shipped model decides again. Returns how many
    heads were in force (0 or 1)."""
    return AdaptedHead.objects.for_org(org).filter(active=True).update(active=False)


def active_head(org: Organisation) -> OrgHead | None:
    """The head in force, if it sits on the shipped model in force. A head fitted on an
    earlier model is not used: its inputs came from that model's verdicts."""
    from tropewatch.detector import model_version

    row = AdaptedHead.objects.for_org(org).filter(active=True).first()
    if row is None or row.base_version != model_version():
        return None
    return row.fitted()
