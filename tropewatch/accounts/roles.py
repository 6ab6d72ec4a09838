"""The six roles a person can hold in an organisation, and what each may do.

Every permission question in the console is answered here, from the role alone, so that the
rules can be read in one screen and tested without a database.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    # Highest first: the order of the choices is the order of authority.
    ADMIN = "admin", "Admin"  # everything, and invites people
    LEAD = "lead", "Lead"  # moderates, closes escalated items, reads the audit log
    MODERATOR = "moderator", "Moderator"  # confirms, dismisses and escalates
    TRIAGE = "triage", "Triage"  # reads posts without personal data, escalates and notes
    VIEWER = "viewer", "Viewer"  # reads posts without personal data
    # A supporter who flags posts where they meet them: submits, and sees only what they
    # submitted (status and outcome), never the queue, another item or an author.
    REPORTER = "reporter", "Reporter"


_DECIDERS = frozenset({Role.ADMIN, Role.LEAD, Role.MODERATOR})
_CLOSERS_OF_ESCALATED = frozenset({Role.ADMIN, Role.LEAD})


def can_decide(role: str) -> bool:
    """Confirm or dismiss an open item, claim items, and act on many at once."""
    return role in _DECIDERS


def can_submit(role: str) -> bool:
    """Flag a post met elsewhere (the API, the extension): every role may."""
    return role in Role.values


def reads_console(role: str) -> bool:
    """The queue, items, authors and everything else in the console: all but reporters, who
    see only their own submissions."""
    return role in Role.values and role != Role.REPORTER


def can_escalate(role: str) -> bool:
    return role in _DECIDERS or role == Role.TRIAGE


def can_note(role: str) -> bool:
    return can_escalate(role)


def can_close_escalated(role: str) -> bool:
    """Decide an escalated item, or reopen a decided one: a second pair of senior eyes."""
    return role in _CLOSERS_OF_ESCALATED


def can_read_audit(role: str) -> bool:
    return role in _CLOSERS_OF_ESCALATED


def can_handle_cases(role: str) -> bool:
    """Open complaint cases about the people reported, and decide them: the complaints unit."""
    return role in _CLOSERS_OF_ESCALATED


def can_export_evidence(role: str) -> bool:
    """Download evidence bundles: the post, its author and the log, for reporting onwards."""
    return role in _CLOSERS_OF_ESCALATED


def can_see_membership(role: str) -> bool:
    """Whether an author is on the organisation's member list: each look is logged."""
    return role in _CLOSERS_OF_ESCALATED


def can_see_dashboard(role: str) -> bool:
    """The leads' dashboard: trends, review and report times, outcomes, repeat offenders."""
    return role in _CLOSERS_OF_ESCALATED


def can_reply(role: str) -> bool:
    """Edit and approve a suggested reply to a confirmed post, and record it posted."""
    return role in _DECIDERS


def can_call_allies(role: str) -> bool:
    """Keep the organisation's list of allies and send them calls to action: leads and admins
    speak for the group."""
    return role in _CLOSERS_OF_ESCALATED


def can_invite(role: str) -> bool:
    return role == Role.ADMIN


def can_manage_members(role: str) -> bool:
    """Change members' roles, remove them, reset a lost second factor; erase and purge data."""
    return role == Role.ADMIN


def sees_personal_data(role: str) -> bool:
    """Authors' names, handles, bios and histories, and the platform links that name them."""
    return role in _DECIDERS


def needs_two_factor(role: str) -> bool:
    # Whoever sees personal data must log in with a second factor.
    return sees_personal_data(role)


def can_report_to_platforms(role: str) -> bool:
    """Draft, send and track reports to the platforms: leads and admins speak for the group."""
    return role in _CLOSERS_OF_ESCALATED


def can_configure_reporting(role: str) -> bool:
    """The notifier's name and the platform credentials the organisation reports with."""
    return role == Role.ADMIN
