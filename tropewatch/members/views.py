"""An author's membership, for admins and leads: a fragment the item page loads on request.

It is loaded only when someone clicks (each look is written to the access log), never with
the page: reading a post must not look its author up.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tropewatch.review.access import get_post_for

from .lookup import look_up_author


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
