"""Building an evidence bundle: one ZIP per item (or per group of items, such as a case)
that verifies on its own (``bundle_check``, or ``sha256sum -c SHA256SUMS`` after unzipping).

Supporters' screenshots of a post go in under ``screenshots/``, as stored (the console blurs
them on screen only). One that an evidence record names is bound to the chain through that
record's hash of it; one sent after the last capture has only its hash in the bundle.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from tropewatch.orgs.models import Organisation
from tropewatch.review.highlight import segments
from tropewatch.review.models import ReviewEvent
from tropewatch.submissions.models import Screenshot

from .bundle_check import BUNDLE_FORMAT, MANIFEST, SUMS
from .canonical import canonical_json, sha256_hex, timestamp
from .models import ChainHead, ChainLink, EvidenceRecord, LinkKind
from .pdf import render_pdf
from .records import event_bytes


class NoEvidence(LookupError):
    """A post asked for has no evidence (it was never confirmed or escalated)."""


class NotAsChained(ValueError):
    """A record no longer matches its chain link: the database was altered. A bundle made
    from it would fail its own check, so none is made."""


@dataclass(frozen=True, slots=True)
class ChainedRecord:
    name: str  # the file in the bundle
    data: bytes  # exactly the bytes that were hashed
    fields: dict[str, Any]
    link: ChainLink


@dataclass(frozen=True, slots=True)
class BundledScreenshot:
    submission: int
    sha256: str
    evidence: str | None  # the first evidence record naming it; None: sent after them all
    name: str | None  # the file in the bundle; None: no longer stored
    data: bytes = b""


@dataclass(frozen=True, slots=True)
class BundleItem:
    post_id: int
    evidence: list[ChainedRecord]  # oldest first; never empty
    events: list[ChainedRecord]
    screenshots: list[BundledScreenshot]

    @property
    def latest(self) -> dict[str, Any]:
        return self.evidence[-1].fields


def bundle_items(org: Organisation, post_ids: Sequence[int]) -> list[BundleItem]:
    items = []
    for post_id in post_ids:
        evidence = [
            _chained(org, LinkKind.EVIDENCE, r.pk, f"records/evidence-{r.pk}.json",
                     r.snapshot.encode("utf-8"))
            for r in EvidenceRecord.objects.filter(org=org, post_id=post_id).order_by("pk")
        ]
        if not evidence:
            raise NoEvidence(f"post {post_id} has no evidence: it was never confirmed or "
                             "escalated")
        events = [
            _chained(org, LinkKind.EVENT, e.pk, f"records/event-{e.pk}.json", event_bytes(e))
            for e in ReviewEvent.objects.filter(org=org, post_id=post_id).order_by("pk")
        ]
        items.append(BundleItem(post_id, evidence, events, _screenshots(org, post_id, evidence)))
    return items


def build_bundle(org: Organisation, post_ids: Sequence[int]) -> bytes:
    """The bundle for ``post_ids`` of ``org``; NoEvidence or NotAsChained otherwise."""
    created = timezone.now()
    items = bundle_items(org, post_ids)
    records = sorted((r for item in items for r in (*item.evidence, *item.events)),
                     key=lambda r: r.link.seq)
    files = {r.name: r.data for r in records}
    files |= {shot.name: shot.data for item in items for shot in item.screenshots if shot.name}
    context = {"org": org, "items": [_display(item) for item in items],
               "created": timestamp(created), "records": records}
    files["item.html"] = render_to_string("evidence/bundle.html", context).encode("utf-8")
    files["item.pdf"] = render_pdf(context)
    files[MANIFEST] = canonical_json(_manifest(org, items, records, files, created))
    files[SUMS] = "".join(f"{sha256_hex(data)}  {name}\n"
                          for name, data in files.items()).encode("ascii")
    return _zip(files, created)


def bundle_filename(org: Organisation, post_ids: Sequence[int]) -> str:
    return f"evidence-{org.slug}-post-{'-'.join(map(str, post_ids))}.zip"


def _chained(org: Organisation, kind: LinkKind, object_id: int, name: str, data: bytes
             ) -> ChainedRecord:
    link = ChainLink.objects.filter(org=org, kind=kind, object_id=object_id).first()
    if link is None or sha256_hex(data) != link.record_hash:
        raise NotAsChained(f"{kind.label.lower()} {object_id} does not match the chain; "
                           "`tropewatch verify` says more")
    return ChainedRecord(name, data, json.loads(data), link)


_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg"}


def _screenshots(org: Organisation, post_id: int, evidence: list[ChainedRecord]
                 ) -> list[BundledScreenshot]:
    """The post's screenshots, by submission: one an evidence record named as that record
    hashed it (NotAsChained otherwise) or, no longer stored, with no file; one sent since the
    last capture as stored with it."""
    recorded: dict[int, tuple[str, str]] = {}
    for record in evidence:
        for shot in record.fields.get("screenshots", []):
            recorded.setdefault(shot["submission"], (shot["sha256"], record.name))
    stored = {
        shot.submission_id: shot
        for shot in Screenshot.objects.filter(org=org, submission__post_id=post_id)
    }
    bundled = []
    for submission in sorted(recorded.keys() | stored.keys()):
        digest, record_name = recorded.get(submission, ("", None))
        shot = stored.get(submission)
        if shot is None:
            bundled.append(BundledScreenshot(submission, digest, record_name, None))
            continue
        data = bytes(shot.data)
        if sha256_hex(data) != (digest or shot.sha256):
            raise NotAsChained(f"the screenshot of submission {submission} is not the one "
                               f"{record_name or 'stored with it'} hashed")
        name = f"screenshots/submission-{submission}.{_EXTENSIONS[shot.content_type]}"
        bundled.append(BundledScreenshot(submission, sha256_hex(data), record_name, name, data))
    return bundled


def _display(item: BundleItem) -> dict[str, Any]:
    latest = item.latest
    return {"post_id": item.post_id, "snapshot": latest,
            "segments": segments(latest["post"]["text"], []),
            "evidence": item.evidence, "events": item.events,
            "screenshots": item.screenshots}


def _manifest(org: Organisation, items: list[BundleItem], records: list[ChainedRecord],
              files: dict[str, bytes], created: datetime) -> dict[str, Any]:
    head = ChainHead.objects.get(org=org)
    return {
        "format": BUNDLE_FORMAT,
        "created_at": timestamp(created),
        "org": {"id": org.pk, "slug": org.slug, "name": org.name},
        "items": [{"post": item.post_id, "platform": item.latest["post"]["platform"],
                   "platform_id": item.latest["post"]["platform_id"]} for item in items],
        "screenshots": [{"post": item.post_id, "submission": shot.submission,
                         "file": shot.name, "sha256": shot.sha256, "evidence": shot.evidence}
                        for item in items for shot in item.screenshots],
        "chain": [{"seq": r.link.seq, "kind": r.link.kind, "id": r.link.object_id,
                   "file": r.name, "record_hash": r.link.record_hash,
                   "prev_hash": r.link.prev_hash, "link_hash": r.link.link_hash}
                  for r in records],
        "chain_head": {"seq": head.seq, "link_hash": head.link_hash},
        "files": {name: sha256_hex(data) for name, data in files.items()},
    }


def _zip(files: dict[str, bytes], created: datetime) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, created.astimezone(UTC).timetuple()[:6])
            info.external_attr = 0o644 << 16  # else unzip makes files nobody may read
            archive.writestr(info, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()
