"""The members page: an admin sees who belongs to the organisation and in which role, changes
roles, removes people and resets a lost second factor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import team
from .access import OrgAccess, admin_access
from .forms import RoleForm
from .models import AdminEvent, Membership
from .roles import Role

RECENT_EVENTS = 50


@login_required
def team_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = admin_access(request, org_slug)
    members = (
        Membership.objects.filter(org=access.org).select_related("user")
        .annotate(
            has_app=Exists(TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)),
            recovery_left=Coalesce(Subquery(
                StaticToken.objects.filter(device__user=OuterRef("user"), device__confirmed=True)
                .values("device__user").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField()), Value(0)),
        )
        .order_by("user__username")
    )
    return render(request, "accounts/team.html", {
        "member": access, "org": access.org, "members": members, "roles": Role.choices,
        "events": AdminEvent.objects.filter(org=access.org)[:RECENT_EVENTS],
    })


def _membership(access: OrgAccess, membership_id: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user"),
                             pk=membership_id, org=access.org)


def _act(request: HttpRequest, org_slug: str, membership_id: int, change) -> HttpResponse:
    """Runs ``change(membership, access)``, which returns what it did, and goes back to the
    members page saying so; a refused change says why and changes nothing."""
    access = admin_access(request, org_slug)
    membership = _membership(access, membership_id)
    try:
        messages.success(request, change(membership, access))
    except team.Refused as refusal:
        messages.error(request, str(refusal))
    if not Membership.objects.filter(user=request.user, org=access.org,
                                     role=Role.ADMIN).exists() and not request.user.is_superuser:
        return redirect("/")  # they demoted or removed themselves: the page is closed to them
    return redirect("accounts:team", org_slug=access.org.slug)


@require_POST
@login_required
def change_role_view(request: HttpRequest, org_slug: str, membership_id: int) -> HttpResponse:
    def change(membership: Membership, access: OrgAccess) -> str:
        form = RoleForm(request.POST)
        if not form.is_valid():
            raise team.Refused(f"No change: role: {form.errors['role'][0]}")
        role = form.cleaned_data["role"]
        team.change_role(membership, role, access)
        return f"{membership.user.get_username()} is now {Role(role).label}."

    return _act(request, org_slug, membership_id, change)


@require_POST
@login_required
def remove_view(request: HttpRequest, org_slug: str, membership_id: int) -> HttpResponse:
    """Asks first, naming the member: the button sits in a row of near-identical ones, and a
    removed member must be invited again."""
    if request.POST.get("confirmed") != "1":
        access = admin_access(request, org_slug)
        return render(request, "accounts/confirm_remove.html", {
            "member": access, "org": access.org,
            "membership": _membership(access, membership_id),
        })

    def change(membership: Membership, access: OrgAccess) -> str:
        team.remove(membership, access)
        return f"{membership.user.get_username()} is no longer a member of {access.org.name}."

    return _act(request, org_slug, membership_id, change)


@require_POST
@login_required
def reset_second_factor_view(request: HttpRequest, org_slug: str,
                             membership_id: int) -> HttpResponse:
    def change(membership: Membership, access: OrgAccess) -> str:
        team.reset_second_factor(membership, access)
        return (f"{membership.user.get_username()}'s authenticator app and recovery codes are "
                "forgotten: they set up a new app at their next login.")

    return _act(request, org_slug, membership_id, change)
