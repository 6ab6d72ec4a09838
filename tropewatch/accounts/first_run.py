"""The first run of a fresh deployment: making its first organisation and first admin from a
web page, without a shell.

Whoever reaches a fresh server first must not take it over, so the page asks for a setup
token: an HMAC of a fixed purpose under SECRET_KEY. Every worker computes the same token with
no database state, and only whoever can read the server's log (where ``tropewatch serve``
writes the link) or knows SECRET_KEY has it. Once an organisation exists the page is gone.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from tropewatch.orgs.models import Organisation

from .models import Membership
from .roles import Role

_SALT = "tropewatch.accounts.first_run"
_PURPOSE = "create the first organisation"


class AlreadySetUp(Exception):
    """An organisation exists (perhaps made a moment ago by a concurrent request)."""


def needed() -> bool:
    return not Organisation.objects.exists()


def setup_token() -> str:
    return salted_hmac(_SALT, _PURPOSE, algorithm="sha256").hexdigest()


def token_is_valid(token: str | None) -> bool:
    return constant_time_compare(token or "", setup_token())


def announcement(site_url: str) -> str | None:
    """The line ``tropewatch serve`` writes to the server log while there is no organisation;
    None once there is one (the link would only lead to a 404)."""
    if not needed():
        return None
    return (f"No organisation yet: open {site_url.rstrip('/')}/setup/?token={setup_token()} "
            "to create the first one")


def create_first(org_name: str, org_slug: str, make_user) -> tuple[Organisation, AbstractBaseUser]:
    """The organisation, its first admin (``make_user()`` saves and returns the user) and their
    membership, all or nothing; raises ``AlreadySetUp`` if an organisation exists by the time
    this one would be made, so that two concurrent set-ups make exactly one."""
    with transaction.atomic():
        _lock_organisations()
        if not needed():
            raise AlreadySetUp
        org = Organisation.objects.create(name=org_name, slug=org_slug)
        user = make_user()
        Membership.objects.create(org=org, user=user, role=Role.ADMIN)
    return org, user


def _lock_organisations() -> None:
    """Make concurrent set-ups wait for each other before they look for an organisation.
    SQLite's transactions here are IMMEDIATE (settings.py), which already serialises writers;
    PostgreSQL's READ COMMITTED would let both see none, so the table is locked in a mode
    that conflicts with itself (reads elsewhere go on)."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Organisation._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
