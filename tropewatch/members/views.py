"""An author's membership, for admins and leads: a fragment the item page loads on request,
and the access log of every such look.

The answer is loaded only when someone clicks (each look is written to the access log), never
with the page: reading a post must not look its author up.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tropewatch.review.access import get_audit_for, get_post_for

from .lookup import look_up_author
from .models import MembershipLook

LOOKS_PER_PAGE = 100


@login_required
def author_membership_view(request: HttpRequest, org_slug: str, post_id: int) -> HttpResponse:
    post, access = get_post_for(request, org_slug, post_id)
    member = access.member
    if not member.can_see_membership:
        raise PermissionDenied("Membership is for leads and admins.")
    if post.author is None:
        raise Http404("This post has no author to look up.")
    answer = look_up_author(member.org, post.author, request.user, member.role)
    context = {"answer": answer, "post": post, "org": member.org, "member": member}
    template = ("members/membership_result.html" if request.headers.get("HX-Request")
                else "members/membership.html")
    return render(request, template, context)


@login_required
def membership_looks_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Who looked up whose membership, when, and what they were told: newest first, for
    whoever reads the audit log. Looking at the log is not itself a look at anyone."""
    access = get_audit_for(request, org_slug)
    looks = (MembershipLook.objects.for_org(access.org).select_related("author")
             .order_by("-created_at", "-pk"))
    page = Paginator(looks, LOOKS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "members/looks.html",
                  {"member": access, "org": access.org, "page": page})
