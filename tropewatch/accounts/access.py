"""The one place that answers "what may this request do in this organisation?".

``org_access`` is called by every view under ``/o/<org>/``: it refuses people who are not
members (with a 404, so that an organisation's existence is not revealed to outsiders) and
sends members whose role needs a second factor to set one up or enter it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse

from tropewatch.orgs.models import Organisation

from .models import Membership
from .roles import (
    Role,
    can_call_allies,
    can_configure_reporting,
    can_handle_cases,
    can_invite,
    can_manage_members,
    can_read_audit,
    can_reply,
    can_report_to_platforms,
    can_see_dashboard,
    can_see_membership,
    needs_two_factor,
    reads_console,
)


class TwoFactorRequired(Exception):
    """The member's role sees personal data and this session has no verified second factor.
    TwoFactorMiddleware turns it into a redirect to the two-factor page."""


@dataclass(frozen=True, slots=True)
class OrgAccess:
    """A member in an organisation; every console page gets one as ``member``."""

    org: Organisation
    role: str
    user: AbstractBaseUser

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def reads_console(self) -> bool:
        return reads_console(self.role)

    @property
    def can_read_audit(self) -> bool:
        return can_read_audit(self.role)

    @property
    def can_see_membership(self) -> bool:
        return can_see_membership(self.role)

    @property
    def can_see_dashboard(self) -> bool:
        return can_see_dashboard(self.role)

    @property
    def can_invite(self) -> bool:
        return can_invite(self.role)

    @property
    def can_manage_members(self) -> bool:
        return can_manage_members(self.role)

    @property
    def can_handle_cases(self) -> bool:
        return can_handle_cases(self.role)

    @property
    def can_reply(self) -> bool:
        return can_reply(self.role)

    @property
    def can_call_allies(self) -> bool:
        return can_call_allies(self.role)

    @property
    def can_report(self) -> bool:
        return can_report_to_platforms(self.role)

    @property
    def can_configure_reporting(self) -> bool:
        return can_configure_reporting(self.role)


def role_in(user: AbstractBaseUser, org: Organisation) -> str | None:
    """The user's role in ``org``, or None. A superuser operates the whole deployment (and can
    read every table in the Django admin already), so counts as admin of every organisation."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return (
        Membership.objects.filter(user=user, org=org).values_list("role", flat=True).first()
    )


def org_access(
    request: HttpRequest, org_slug: str, *, reporters: bool = False
) -> OrgAccess:
    """The request's member in the organisation. Reporters are refused (403) unless the view
    says ``reporters=True``: a view added later is closed to them until someone decides."""
    org = get_object_or_404(Organisation, slug=org_slug)
    role = role_in(request.user, org)
    if role is None:
        raise Http404("No such organisation")
    if not reporters and not reads_console(role):
        raise PermissionDenied("Reporters see only their own submissions.")
    if needs_two_factor(role) and not request.user.is_verified():
        raise TwoFactorRequired
    return OrgAccess(org=org, role=role, user=request.user)


def admin_access(request: HttpRequest, org_slug: str) -> OrgAccess:
    """``org_access`` for the pages that manage the organisation's people and data."""
    access = org_access(request, org_slug)
    if not can_manage_members(access.role):
        raise PermissionDenied("Only an organisation's admins manage its members and data.")
    return access


def start_page(org: Organisation, role: str) -> str:
    """Where a member lands in an organisation: the queue, or a reporter's own submissions."""
    name = "review:queue" if reads_console(role) else "submissions:mine"
    return reverse(name, kwargs={"org_slug": org.slug})


def orgs_for(user: AbstractBaseUser) -> list[tuple[Organisation, str]]:
    """Each organisation the user may open, with their role there, by name."""
    if user.is_superuser:
        return [(org, Role.ADMIN) for org in Organisation.objects.order_by("name")]
    memberships = Membership.objects.filter(user=user).select_related("org")
    return sorted(((m.org, m.role) for m in memberships), key=lambda pair: pair[0].name)
