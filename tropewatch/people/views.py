"""The author page, linking accounts as one person, and the repeat-offender list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tropewatch.accounts import roles
from tropewatch.accounts.access import OrgAccess, org_access
from tropewatch.posts.models import Author
from tropewatch.web.params import MAX_ID, bounded_int

from .record import record_of
from .services import (
    accounts_of,
    confirmed_of,
    find_accounts,
    link,
    link_history,
    repeat_offenders,
    suggestions,
    unlink,
)
from .strikes import DEFAULT_WINDOW, is_repeat_offender, strikes

MAX_FIND = 300  # as long as a handle can be


def _access(request: HttpRequest, org_slug: str, *, linking: bool = False) -> OrgAccess:
    access = org_access(request, org_slug)
    if not roles.sees_personal_data(access.role):
        raise PermissionDenied("Author pages show personal data: moderators, leads and admins.")
    if linking and not roles.can_handle_cases(access.role):
        raise PermissionDenied("Linking accounts is for leads and admins.")
    return access


@login_required
def author_view(request: HttpRequest, org_slug: str, author_id: int) -> HttpResponse:
    access = _access(request, org_slug)
    author = get_object_or_404(Author, org=access.org, pk=author_id)
    accounts = accounts_of(author)
    confirmed = confirmed_of(accounts)
    now = timezone.now()
    context = {
        "member": access, "org": access.org, "author": author, "accounts": accounts,
        "record": record_of(access.org, accounts),
        "confirmed": len(confirmed), "strikes": strikes(confirmed, now),
        "window_days": DEFAULT_WINDOW.days,
        "repeat_offender": is_repeat_offender(confirmed, now),
        "can_link": roles.can_handle_cases(access.role),
    }
    if context["can_link"]:
        context["suggestions"] = suggestions(author)
        context["find"] = request.GET.get("find", "")[:MAX_FIND]
        context["found"] = find_accounts(author, context["find"])
        context["link_history"] = link_history(accounts)
    return render(request, "people/author.html", context)


@require_POST
@login_required
def link_view(request: HttpRequest, org_slug: str, author_id: int) -> HttpResponse:
    access = _access(request, org_slug, linking=True)
    author = get_object_or_404(Author, org=access.org, pk=author_id)
    other_id = bounded_int(request.POST.get("other"), min_value=1, max_value=MAX_ID)
    other = get_object_or_404(Author, org=access.org, pk=other_id) if other_id else None
    if other is None or other.pk == author.pk:
        messages.error(request, "Choose another account to link.")
    else:
        link(author, other, request.user.get_username(), access.role)
        messages.success(request, f"Linked {other} as the same person.")
    return redirect("people:author", org_slug=org_slug, author_id=author.pk)


@require_POST
@login_required
def unlink_view(request: HttpRequest, org_slug: str, author_id: int) -> HttpResponse:
    access = _access(request, org_slug, linking=True)
    author = get_object_or_404(Author, org=access.org, pk=author_id)
    unlink(author, request.user.get_username(), access.role)
    messages.success(request, f"{author} is no longer linked to other accounts.")
    return redirect("people:author", org_slug=org_slug, author_id=author.pk)


@login_required
def offenders_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = _access(request, org_slug, linking=True)
    return render(request, "people/offenders.html", {
        "member": access, "org": access.org, "offenders": repeat_offenders(access.org),
        "window_days": DEFAULT_WINDOW.days,
    })
