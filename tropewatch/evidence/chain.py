"""Appending to an organisation's chain: the only writer of ChainLink and ChainHead."""

from __future__ import annotations

from django.db import transaction

from .canonical import GENESIS, link_hash
from .models import ChainHead, ChainLink, LinkKind


def append(org_id: int, kind: LinkKind, object_id: int, record_hash: str) -> ChainLink:
    """Chain a record just written, in the caller's transaction: the org's head row stays
    locked until it commits, so concurrent writers take places one after another."""
    with transaction.atomic():
        head = _locked_head(org_id)
        seq = head.seq + 1
        link = ChainLink.objects.create(
            org_id=org_id, seq=seq, kind=kind, object_id=object_id, record_hash=record_hash,
            prev_hash=head.link_hash,
            link_hash=link_hash(org_id, seq, kind, object_id, record_hash, head.link_hash),
        )
        ChainHead.objects.filter(pk=org_id).update(seq=seq, link_hash=link.link_hash)
    return link


def _locked_head(org_id: int) -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=org_id).first()
    if head is None:
        # The organisation's first link. Two first writers at once: the second insert is
        # ignored and that writer waits on the lock below.
        ChainHead.objects.bulk_create(
            [ChainHead(org_id=org_id, seq=0, link_hash=GENESIS)], ignore_conflicts=True
        )
        head = ChainHead.objects.select_for_update().get(pk=org_id)
    return head
