"""Checking an organisation's chain against the rows it covers.

Every record's hash is recomputed from its stored row and every link from its fields, in
order: an edited record, a removed record or link, a link out of place, and a record that
was added without a link are each found, and the first found is named. What no check inside
one database can find is a chain rewritten from the edit onwards by someone who knows how;
the head hash ``verify`` prints, and the links in every exported bundle, are copies of the
chain kept elsewhere to compare against.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Model, QuerySet

from tropewatch.cases.models import CaseEvent
from tropewatch.orgs.models import Organisation
from tropewatch.review.models import ReviewEvent

from .canonical import GENESIS, link_hash
from .models import ChainHead, ChainLink, EvidenceRecord, LinkKind, Tombstone
from .records import case_event_hash, event_hash, evidence_hash

BATCH = 1000
_MODELS: dict[str, type[Model]] = {
    LinkKind.EVENT: ReviewEvent, LinkKind.EVIDENCE: EvidenceRecord,
    LinkKind.CASE_EVENT: CaseEvent,
}


@dataclass(frozen=True, slots=True)
class Intact:
    links: int
    head: str


@dataclass(frozen=True, slots=True)
class Broken:
    seq: int | None  # None: a record that has no link
    kind: str
    object_id: int | None
    reason: str

    def __str__(self) -> str:
        what = LinkKind(self.kind).label.lower() if self.kind else "chain"
        record = f"{what} {self.object_id}" if self.object_id is not None else what
        place = f"link {self.seq}" if self.seq is not None else "no link"
        return f"{record} ({place}): {self.reason}"


def verify_chain(org: Organisation) -> Intact | Broken:
    prev, seq = GENESIS, 0
    for link, record in _links_with_records(org):
        seq += 1
        if link.seq != seq:
            return Broken(seq, "", None, f"missing: the chain goes from link {seq - 1} to "
                                         f"link {link.seq}")
        problem = _check_link(org, link, record, prev)
        if problem:
            return Broken(link.seq, link.kind, link.object_id, problem)
        prev = link.link_hash
    unlinked = _first_unlinked(org)
    if unlinked:
        return unlinked
    head = ChainHead.objects.filter(org=org).first()
    head_seq, head_hash = (head.seq, head.link_hash) if head else (0, GENESIS)
    if (head_seq, head_hash) != (seq, prev):
        return Broken(head_seq, "", None, f"the chain ends at link {seq} but its head is at "
                                          f"link {head_seq}: links were removed or replaced")
    return Intact(seq, prev)


def _check_link(org: Organisation, link: ChainLink, record: Model | None, prev: str) -> str:
    if link.prev_hash != prev:
        return "does not follow the link before it (its previous hash differs)"
    expected = link_hash(org.pk, link.seq, link.kind, link.object_id, link.record_hash,
                         link.prev_hash)
    if link.link_hash != expected:
        return "the link was changed (its hash does not match its fields)"
    if record is None:
        erased = Tombstone.objects.filter(org=org, kind=link.kind, object_id=link.object_id,
                                          record_hash=link.record_hash).exists()
        return "" if erased else "the record was deleted"
    if link.kind == LinkKind.EVENT:
        actual = event_hash(record)
    elif link.kind == LinkKind.CASE_EVENT:
        actual = case_event_hash(record)
    else:
        actual = evidence_hash(record)
        if record.sha256 != actual or not _snapshot_matches_row(record):
            return "the record was changed (its stored hash or post does not match)"
    if actual != link.record_hash:
        return "the record was changed after it was chained"
    return ""


def _snapshot_matches_row(record: EvidenceRecord) -> bool:
    try:
        snapshot = json.loads(record.snapshot)
        org_id, post_id = snapshot["org"]["id"], snapshot["post"]["id"]
    except (ValueError, KeyError, TypeError):
        return False
    # A deleted post leaves post null; evidence never moves to another post or org.
    return org_id == record.org_id and record.post_id in (None, post_id)


def _links_with_records(org: Organisation) -> Iterator[tuple[ChainLink, Model | None]]:
    """The org's links in order, each with its record (None when there is no such row in
    the org), read a batch at a time."""
    after = 0
    while True:
        links = list(ChainLink.objects.filter(org=org, seq__gt=after).order_by("seq")[:BATCH])
        if not links:
            return
        records = {kind: _by_pk(model.objects.filter(org=org), links, kind)
                   for kind, model in _MODELS.items()}
        for link in links:
            yield link, records.get(link.kind, {}).get(link.object_id)
        after = links[-1].seq


def _by_pk(rows: QuerySet, links: list[ChainLink], kind: str) -> dict[int, Model]:
    wanted = [link.object_id for link in links if link.kind == kind]
    return rows.in_bulk(wanted) if wanted else {}


def _first_unlinked(org: Organisation) -> Broken | None:
    for kind, model in _MODELS.items():
        linked = ChainLink.objects.filter(org=org, kind=kind).values("object_id")
        row = model.objects.filter(org=org).exclude(pk__in=linked).order_by("pk").first()
        if row is not None:
            return Broken(None, kind, row.pk, "the record is not in the chain: it was added "
                                              "outside tropewatch")
    return None
