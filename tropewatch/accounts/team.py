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


def _keep_an_admin(membership: Membership) -> None:
    """Refuses to take away the organisation's last admin. The admins' rows are locked first
    (PostgreSQL; SQLite's immediate transactions serialise writers), so two admins demoting
    each other at once cannot both pass the count."""
    admins = list(Membership.objects.select_for_update()
                  .filter(org_id=membership.org_id, role=Role.ADMIN).values_list("pk", flat=True))
    if admins == [membership.pk]:
        raise LastAdmin("An organisation needs at least one admin: make someone else admin "
                        "first.")


def change_role(membership: Membership, role: str, by: OrgAccess) -> None:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == role:
            return
        if membership.role == Role.ADMIN:
            _keep_an_admin(membership)
        before = membership.get_role_display()
        membership.role = role
        membership.save(update_fields=["role"])
        log(by, AdminAction.ROLE_CHANGED, membership.user.get_username(),
            f"{before} → {membership.get_role_display()}")


def remove(membership: Membership, by: OrgAccess) -> None:
    """The person keeps their account (they may belong to other organisations) but loses
    everything in this one."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == Role.ADMIN:
            _keep_an_admin(membership)
        membership.delete()
        log(by, AdminAction.REMOVED, membership.user.get_username(),
            membership.get_role_display())


def reset_second_factor(membership: Membership, by: OrgAccess) -> None:
    """For a lost phone with no recovery codes left: the member sets up a new app at their
    next step that needs it. The account's devices serve every organisation it belongs to."""
    with transaction.atomic():
        two_factor.forget_devices(membership.user)
        log(by, AdminAction.SECOND_FACTOR_RESET, membership.user.get_username())
