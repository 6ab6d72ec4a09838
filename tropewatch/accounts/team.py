"""An admin's changes to the organisation's members: role, removal, and a reset of a lost
second factor. Each is logged (``AdminEvent``), and none leaves the organisation without an
admin."""

from __future__ import annotations

from django.db import transaction

from . import two_factor
from .access import OrgAccess
from .models import AdminAction, AdminEvent, Membership
from .roles import Role


class Refused(Exception):
    """The change was not made; the message says why."""


class LastAdmin(Refused):
    """The change would leave the organisation with no admin to manage it."""


def log(by: OrgAccess, action: AdminAction, subject: str = "", detail: str = "") -> AdminEvent:
    return AdminEvent.objects.create(
        org=by.org, actor=by.user, actor_name=by.user.get_username(), actor_role=by.role,
        action=action, subject=subject, detail=detail,
    )


def _lock_admins(org_id: int) -> list[int]:
    """Locks the organisation's admin rows, by id, before any other row (PostgreSQL; SQLite's
    immediate transactions serialise writers). Taking them first and in one order makes two
    admins demoting each other at once wait in turn: locking the target first deadlocked."""
    return list(Membership.objects.select_for_update().filter(org_id=org_id, role=Role.ADMIN)
                .order_by("pk").values_list("pk", flat=True))


def _keep_an_admin(membership: Membership, admins: list[int]) -> None:
    """Refuses to take away the organisation's last admin."""
    if membership.role == Role.ADMIN and admins == [membership.pk]:
        raise LastAdmin("An organisation needs at least one admin: make someone else admin "
                        "first.")


def change_role(membership: Membership, role: str, by: OrgAccess) -> None:
    with transaction.atomic():
        admins = _lock_admins(membership.org_id)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == role:
            return
        _keep_an_admin(membership, admins)
        before = membership.get_role_display()
        membership.role = role
        membership.save(update_fields=["role"])
        log(by, AdminAction.ROLE_CHANGED, membership.user.get_username(),
            f"{before} → {membership.get_role_display()}")


def remove(membership: Membership, by: OrgAccess) -> None:
    """The person keeps their account (they may belong to other organisations) but loses
    everything in this one."""
    with transaction.atomic():
        admins = _lock_admins(membership.org_id)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        _keep_an_admin(membership, admins)
        membership.delete()
        log(by, AdminAction.REMOVED, membership.user.get_username(),
            membership.get_role_display())


def reset_second_factor(membership: Membership, by: OrgAccess) -> None:
    """For a lost phone with no recovery codes left: the member sets up a new app at their
    next step that needs it. The account's devices serve every organisation it belongs to."""
    with transaction.atomic():
        two_factor.forget_devices(membership.user)
        log(by, AdminAction.SECOND_FACTOR_RESET, membership.user.get_username())
