"""Importing a member list: read it, keep only keyed hashes, replace the list stored before.

The whole list is read and hashed before the database is touched; the old list is then
deleted and the new one written in one transaction. A file that cannot be read, or that has
no readable row, changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tropewatch.orgs.models import Organisation

from .keys import checked_key, digest, fingerprint
from .models import MemberKey, MemberList
from .reading import RowError, member_list_rows

INSERT_BATCH = 1000


class NothingToImport(Exception):
    """No row had a readable identifier; the list stored before is kept. ``errors`` says
    what was wrong with each row."""

    def __init__(self, message: str, errors: list[RowError]) -> None:
        super().__init__(message)
        self.errors = errors


@dataclass(slots=True)
class ImportSummary:
    rows: int = 0  # rows with at least one identifier
    keys: int = 0  # distinct identifiers stored
    covers: list[str] = field(default_factory=list)
    unused_columns: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def import_member_list(org: Organisation, path: Path) -> ImportSummary:
    """Replace ``org``'s member list with the one in ``path``. Raises ``KeyProblem`` without a
    usable key, ``IngestError`` for a file that cannot be read, ``NothingToImport``."""
    key = checked_key(settings.MEMBERS_KEY)
    summary = ImportSummary()
    keys: set[tuple[str, str, str]] = set()
    covers: set[str] = set()
    with member_list_rows(path, settings.MEMBERS_PHONE_REGION) as (columns, rows):
        summary.unused_columns = columns.unused
        for read in rows:
            if isinstance(read, RowError):
                summary.errors.append(read)
                continue
            summary.rows += 1
            for identifier in read.identifiers:
                keys.add((identifier.kind, identifier.platform, digest(key, org.pk, identifier)))
                covers.add(identifier.scope)
    if not keys:
        raise NothingToImport(f"{path}: no row has an identifier that can be read; the member "
                              "list stored before is kept", summary.errors)
    summary.keys, summary.covers = len(keys), sorted(covers)
    with transaction.atomic():
        MemberList.objects.filter(org=org).delete()
        member_list = MemberList.objects.create(
            org=org, imported_at=timezone.now(), rows=summary.rows, covers=summary.covers,
            key_fingerprint=fingerprint(key),
        )
        MemberKey.objects.bulk_create(
            (MemberKey(org=org, member_list=member_list, kind=kind, platform=platform,
                       digest=value) for kind, platform, value in keys),
            batch_size=INSERT_BATCH,
        )
    return summary
