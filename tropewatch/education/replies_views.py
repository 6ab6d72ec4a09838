"""Suggested replies to a confirmed post: a moderator reads the drafts, edits one and approves
it, copies it to post on the platform, then records the reply's address. Approving and posting
each append a call-out to the post's history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tropewatch.accounts import roles
from tropewatch.accounts.access import OrgAccess, org_access
from tropewatch.detector.replies import offending_term
from tropewatch.posts.models import Post
from tropewatch.review.models import ReviewState
from tropewatch.review.status import Status

from .forms import ApproveForm, PostedForm
from .models import CallOut
from .suggestions import span_terms, suggested_replies


def _post_for(request: HttpRequest, org_slug: str, post_id: int) -> tuple[Post, OrgAccess]:
    access = org_access(request, org_slug)
    if not roles.can_reply(access.role):
        raise PermissionDenied("Replies are drafted by moderators, leads and admins.")
    return get_object_or_404(Post, org=access.org, pk=post_id), access


def _confirmed(post: Post) -> bool:
    return ReviewState.objects.filter(post=post, status=Status.CONFIRMED).exists()


def _page(org_slug: str, post_id: int) -> str:
    return reverse("education:replies", kwargs={"org_slug": org_slug, "post_id": post_id})


def _log(post: Post, access: OrgAccess, **fields) -> CallOut:
    return CallOut.objects.create(
        org=access.org, post=post, actor=access.user, actor_name=access.user.get_username(),
        actor_role=access.role, **fields)


@login_required
def replies_view(request: HttpRequest, org_slug: str, post_id: int) -> HttpResponse:
    post, access = _post_for(request, org_slug, post_id)
    confirmed = _confirmed(post)
    approvals = list(CallOut.objects.filter(org=access.org, post=post,
                                            action=CallOut.Action.APPROVED)
                     .prefetch_related("postings"))
    return render(request, "education/replies.html", {
        "member": access, "org": access.org, "post": post, "confirmed": confirmed,
        "drafts": suggested_replies(post) if confirmed else [], "approvals": approvals,
        "posted_form": PostedForm(),
    })


@require_POST
@login_required
def approve_view(request: HttpRequest, org_slug: str, post_id: int) -> HttpResponse:
    post, access = _post_for(request, org_slug, post_id)
    if not _confirmed(post):
        return HttpResponseBadRequest("Only a confirmed post gets a reply.")
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("A reply needs a tone and a text.")
    if offending_term(form.cleaned_data["text"], span_terms(post)) is not None:
        messages.error(request, "Not approved: the reply repeats a slur or coded term, or "
                                "words the detector marked in the post. Take them out and "
                                "approve it again.")
        return redirect(_page(org_slug, post_id))
    _log(post, access, action=CallOut.Action.APPROVED, tone=form.cleaned_data["tone"],
         text=form.cleaned_data["text"])
    messages.success(request, "Reply approved: copy it, post it, then record its address.")
    return redirect(_page(org_slug, post_id))


@require_POST
@login_required
def posted_view(request: HttpRequest, org_slug: str, post_id: int,
                approval_id: int) -> HttpResponse:
    post, access = _post_for(request, org_slug, post_id)
    approval = get_object_or_404(CallOut, org=access.org, post=post, pk=approval_id,
                                 action=CallOut.Action.APPROVED)
    form = PostedForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["url"].startswith(("https://", "http://")):
        return HttpResponseBadRequest("Give the web address of the reply as posted.")
    if approval.postings.exists():
        messages.error(request, "That reply is already recorded as posted.")
        return redirect(_page(org_slug, post_id))
    _log(post, access, action=CallOut.Action.POSTED, tone=approval.tone, text=approval.text,
         approval=approval, url=form.cleaned_data["url"])
    messages.success(request, "Call-out recorded on the post's history.")
    return redirect(_page(org_slug, post_id))
