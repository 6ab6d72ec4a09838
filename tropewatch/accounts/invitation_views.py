"""Bringing people in: invitations (a link, emailed or not), invitations in bulk from a CSV of
addresses, reusable signup links, and the pages where newcomers join by them."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from .access import OrgAccess, org_access, start_page
from .bulk_invites import read_addresses, send_invitations
from .forms import BulkInvitationForm, InvitationForm, JoinForm, SignupLinkForm
from .invitations import (
    InvitationNotSent,
    InvitationUnusable,
    accept_invitation,
    create_invitation,
    email_invitation,
    find_invitation,
    revoke_invitation,
)
from .models import AdminAction, Invitation, SignupLink
from .roles import Role, can_invite
from .signup_links import (
    create_signup_link,
    find_signup_link,
    join_by_signup_link,
    revoke_signup_link,
)
from .team import log

LISTED = 100


def _inviter(request: HttpRequest, org_slug: str) -> OrgAccess:
    access = org_access(request, org_slug)
    if not can_invite(access.role):
        raise PermissionDenied("Only an organisation's admins invite people.")
    return access


def _link_maker(request: HttpRequest, view_name: str) -> Callable[[str], str]:
    return lambda token: request.build_absolute_uri(reverse(view_name, args=[token]))


def _page(request: HttpRequest, access: OrgAccess, **shown) -> HttpResponse:
    """The invitations page, with whichever forms and results the request produced."""
    context = {
        "member": access, "org": access.org, "ttl_days": settings.INVITATION_TTL_DAYS,
        "form": InvitationForm(), "bulk_form": BulkInvitationForm(),
        "signup_form": SignupLinkForm(),
        "invitations": Invitation.objects.filter(org=access.org)
        .select_related("accepted_by")[:LISTED],
        "signup_links": SignupLink.objects.filter(org=access.org)[:LISTED],
        **shown,
    }
    return render(request, "accounts/invitations.html", context)


@never_cache
@login_required
def invitations_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = _inviter(request, org_slug)
    if request.method != "POST":
        return _page(request, access)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _page(request, access, form=form)
    data = form.cleaned_data
    invitation, token = create_invitation(access.org, data["role"], request.user,
                                          data["invitee"], data["email"])
    link = _link_maker(request, "accounts:accept")(token)
    if not data["email"]:
        log(access, AdminAction.INVITED, invitation.invitee,
            f"{invitation.get_role_display()}, a link")
        return _page(request, access, link=link)
    try:
        email_invitation(invitation, link)
    except InvitationNotSent as exc:
        return _page(request, access, not_sent=[str(exc)])
    log(access, AdminAction.INVITED, invitation.email,
        f"{invitation.get_role_display()}, by email")
    return _page(request, access, link=link, emailed_to=data["email"])


@require_POST
@login_required
def bulk_invitations_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = _inviter(request, org_slug)
    form = BulkInvitationForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, access, bulk_form=form)
    upload = form.cleaned_data["addresses"]
    plan = read_addresses(upload, upload.name, access.org)
    if plan.problems:
        return _page(request, access, bulk_form=form, plan=plan)
    role = form.cleaned_data["role"]
    sent = send_invitations(plan, access.org, role, request.user,
                            _link_maker(request, "accounts:accept"))
    for address in sent.sent:
        log(access, AdminAction.INVITED, address, f"{Role(role).label}, by email (bulk)")
    return _page(request, access, plan=plan, sent=sent)


@require_POST
@login_required
def revoke_invitation_view(request: HttpRequest, org_slug: str, invitation_id: int) -> HttpResponse:
    access = _inviter(request, org_slug)
    revoke_invitation(get_object_or_404(Invitation, pk=invitation_id, org=access.org))
    return redirect("accounts:invitations", org_slug=access.org.slug)


@require_POST
@login_required
def signup_links_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = _inviter(request, org_slug)
    form = SignupLinkForm(request.POST)
    if not form.is_valid():
        return _page(request, access, signup_form=form)
    data = form.cleaned_data
    link, token = create_signup_link(access.org, data["role"], request.user, form.expires_at(),
                                     data["max_uses"])
    log(access, AdminAction.SIGNUP_LINK_MADE, "",
        f"{link.get_role_display()}, up to {link.max_uses}, until {data['expires_on']:%d %b %Y}")
    return _page(request, access, signup_link=_link_maker(request, "accounts:join")(token))


@require_POST
@login_required
def revoke_signup_link_view(request: HttpRequest, org_slug: str, link_id: int) -> HttpResponse:
    access = _inviter(request, org_slug)
    link = get_object_or_404(SignupLink, pk=link_id, org=access.org)
    revoke_signup_link(link)
    log(access, AdminAction.SIGNUP_LINK_REVOKED, "", f"used {link.uses} of {link.max_uses}")
    return redirect("accounts:invitations", org_slug=access.org.slug)


def _join(request: HttpRequest, offer: Invitation | SignupLink,
          take: Callable[[object], object], email: str = "") -> HttpResponse:
    """The newcomer's page for an invitation or a signup link: a signed-in person joins with
    one click, anyone else makes an account. ``take(user)`` makes the membership, or raises
    ``InvitationUnusable`` (and then no account is made either)."""
    if not offer.usable:
        return render(request, "accounts/invitation_unusable.html", status=410)
    signed_in = request.user.is_authenticated
    form = None if signed_in else JoinForm(
        request.POST if request.method == "POST" else None, initial={"email": email}
    )
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            with transaction.atomic():
                user = request.user if signed_in else form.save()
                membership = take(user)
        except InvitationUnusable:
            return render(request, "accounts/invitation_unusable.html", status=410)
        if not signed_in:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(start_page(offer.org, membership.role))
    return render(request, "accounts/accept.html", {"invitation": offer, "form": form})


@sensitive_post_parameters("password1", "password2")
@never_cache
def accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = find_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_unusable.html", status=410)
    return _join(request, invitation, lambda user: accept_invitation(invitation, user),
                 invitation.email)


@sensitive_post_parameters("password1", "password2")
@never_cache
def join_view(request: HttpRequest, token: str) -> HttpResponse:
    link = find_signup_link(token)
    if link is None:
        return render(request, "accounts/invitation_unusable.html", status=410)
    return _join(request, link, lambda user: join_by_signup_link(link, user))
