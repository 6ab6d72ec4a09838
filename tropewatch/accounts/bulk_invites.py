"""Invitations in bulk, from a CSV of email addresses.

Every line is read and checked before anything is sent: a file with one unreadable line or
one bad address invites nobody, and the page names each such line. Addresses that are
members already, have an open invitation, or repeat an earlier line are left out and listed.
The file is an ``email`` column under a header, or one address per line without one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from tropewatch.ingest.csvrows import CsvTable, MalformedRow
from tropewatch.ingest.errors import IngestError
from tropewatch.ingest.inputs import DEFAULT_LIMITS, TextStream
from tropewatch.members.normalize import BadIdentifier
from tropewatch.members.normalize import email as normalised_email
from tropewatch.orgs.models import Organisation

from .invitations import InvitationNotSent, create_invitation, email_invitation
from .models import Invitation, Membership

MAX_ADDRESSES = 500  # each is one email sent while the admin waits
_EMAIL_HEADERS = {"email", "emailaddress", "e-mail", "mail"}
_SHOWN_CHARS = 60


@dataclass(slots=True)
class Plan:
    addresses: list[str] = field(default_factory=list)  # to invite, in file order
    problems: list[str] = field(default_factory=list)  # any at all: nobody is invited
    left_out: list[str] = field(default_factory=list)  # skipped, with why


@dataclass(slots=True)
class Sent:
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # the address and the mail server's answer


def read_addresses(upload: BinaryIO, name: str, org: Organisation) -> Plan:
    plan = Plan()
    try:
        table = CsvTable(TextStream(upload, name), DEFAULT_LIMITS, strict=True)
        column, header_is_address = _email_column(table)
        rows = list(table.rows())
    except IngestError as exc:
        plan.problems.append(str(exc))
        return plan
    if header_is_address:
        rows.insert(0, (0, 1, table.header))
    seen: dict[str, int] = {}
    for _, line, cells in rows:
        address = _address(plan, line, cells, column)
        if address is None:
            continue
        if address in seen:
            plan.left_out.append(f"line {line}: {address} is on line {seen[address]} already")
            continue
        seen[address] = line
        plan.addresses.append(address)
    if len(plan.addresses) > MAX_ADDRESSES:
        plan.problems.append(f"{name}: {len(plan.addresses)} addresses; send at most "
                             f"{MAX_ADDRESSES} at a time (split the file)")
    _leave_out_known(plan, seen, org)
    return plan


def _email_column(table: CsvTable) -> tuple[int, bool]:
    """The column holding addresses, and whether the first row is an address, not a header."""
    folded = [name.strip().lower().replace(" ", "").replace("_", "") for name in table.header]
    for index, name in enumerate(folded):
        if name in _EMAIL_HEADERS:
            return index, False
    if len(table.header) == 1 and "@" in table.header[0]:
        return 0, True
    raise IngestError(f"{table.source}: line 1: no email column: name one 'email' in a header "
                      "row, or give one address per line")


def _address(plan: Plan, line: int, cells: list[str] | MalformedRow, column: int) -> str | None:
    if isinstance(cells, MalformedRow):
        plan.problems.append(f"line {line}: unreadable CSV: {cells.problem}")
        return None
    text = cells[column].strip() if column < len(cells) else ""
    if not text:
        plan.problems.append(f"line {line}: no email address in column {column + 1}")
        return None
    try:
        return normalised_email(text).value
    except BadIdentifier as exc:
        shown = text if len(text) <= _SHOWN_CHARS else f"{text[:_SHOWN_CHARS]}…"
        plan.problems.append(f"line {line}: {shown!r} is {exc}")
        return None


def _leave_out_known(plan: Plan, lines: dict[str, int], org: Organisation) -> None:
    """Takes out members (by their account's address) and open invitations."""
    members = {
        email.casefold(): username for email, username in
        Membership.objects.filter(org=org).exclude(user__email="")
        .values_list("user__email", "user__username")
    }
    invited = {
        email.casefold(): expires for email, expires in
        Invitation.objects.filter(org=org, accepted_at__isnull=True, revoked_at__isnull=True,
                                  expires_at__gt=timezone.now()).exclude(email="")
        .values_list("email", "expires_at")
    }
    keep = []
    for address in plan.addresses:
        if address in members:
            plan.left_out.append(f"line {lines[address]}: {address} is a member already "
                                 f"({members[address]})")
        elif address in invited:
            plan.left_out.append(f"line {lines[address]}: {address} has an open invitation "
                                 f"until {invited[address]:%d %b %Y}")
        else:
            keep.append(address)
    plan.addresses = keep


def send_invitations(plan: Plan, org: Organisation, role: str, invited_by: AbstractBaseUser,
                     link_for: Callable[[str], str]) -> Sent:
    """One invitation per address, each emailed; one the mail server refuses is revoked and
    reported, and the others still go."""
    assert not plan.problems, "a file with problems invites nobody"
    outcome = Sent()
    for address in plan.addresses:
        invitation, token = create_invitation(org, role, invited_by, email=address)
        try:
            email_invitation(invitation, link_for(token))
        except InvitationNotSent as exc:
            outcome.failed.append(str(exc))
        else:
            outcome.sent.append(address)
    return outcome
