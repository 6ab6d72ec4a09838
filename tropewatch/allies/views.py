"""The leads' side: the organisation's list of allies, and turning a confirmed public post
into a call to action for some of them. Sending only writes rows; delivery is background
work (tasks.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tropewatch.accounts.access import OrgAccess, org_access
from tropewatch.people.erasure import forget_old_page_images
from tropewatch.posts.models import Post
from tropewatch.review.models import ReviewState
from tropewatch.review.status import Status

from .content import call_content, is_public
from .delivery import queue_call
from .forms import AllyForm, CallForm
from .models import Ally, AllyResponse, CallToAction, Delivery
from .tasks import dispatch_after_commit


def _access(request: HttpRequest, org_slug: str) -> OrgAccess:
    access = org_access(request, org_slug)
    if not access.can_call_allies:
        raise PermissionDenied("Allies are kept and called by leads and admins.")
    return access


def _list_url(org_slug: str) -> str:
    return reverse("allies:list", kwargs={"org_slug": org_slug})


@login_required
def allies_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = _access(request, org_slug)
    form = AllyForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            form.instance.org = access.org
            form.save()
            messages.success(request, f"{form.instance.name} added to the allies.")
            return redirect(_list_url(org_slug))
    return render(request, "allies/list.html", {
        "member": access, "org": access.org, "form": form,
        "allies": Ally.objects.filter(org=access.org),
    })


@login_required
def ally_edit_view(request: HttpRequest, org_slug: str, ally_id: int) -> HttpResponse:
    access = _access(request, org_slug)
    ally = get_object_or_404(Ally, org=access.org, pk=ally_id)
    form = AllyForm(request.POST or None, instance=ally)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{ally.name}'s details saved.")
        return redirect(_list_url(org_slug))
    return render(request, "allies/edit.html", {
        "member": access, "org": access.org, "form": form, "ally": ally})


@require_POST
@login_required
def ally_erase_view(request: HttpRequest, org_slug: str, ally_id: int) -> HttpResponse:
    """Erase an ally: their details and pending deliveries go; their answers stay, counted
    but no longer anyone's."""
    access = _access(request, org_slug)
    ally = get_object_or_404(Ally, org=access.org, pk=ally_id)
    ally.delete()
    forget_old_page_images()  # no copy of their address left in SQLite's write-ahead log
    messages.success(request, "The ally's details are erased.")
    return redirect(_list_url(org_slug))


def _confirmed(post: Post) -> bool:
    return ReviewState.objects.filter(post=post, status=Status.CONFIRMED).exists()


@login_required
def call_view(request: HttpRequest, org_slug: str, post_id: int) -> HttpResponse:
    access = _access(request, org_slug)
    post = get_object_or_404(Post.objects.select_related("source"), org=access.org,
                             pk=post_id)
    confirmed = _confirmed(post)
    callable_ = confirmed and is_public(post)
    form = CallForm(access.org, request.POST or None)
    if request.method == "POST":
        if not callable_:
            return HttpResponseBadRequest("Only a confirmed public post becomes a call to "
                                          "action.")
        if form.is_valid():
            count = _send(request, access, post, list(form.cleaned_data["allies"]))
            messages.success(request, f"Call to action queued: {count} messages to send.")
            return redirect(reverse("allies:call", kwargs={"org_slug": org_slug,
                                                           "post_id": post_id}))
    calls = (CallToAction.objects.filter(org=access.org, post=post).annotate(
        sent=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT),
                   distinct=True),
        waiting=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.PENDING),
                      distinct=True),
        failed=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED),
                     distinct=True),
        replied=Count("responses", filter=Q(responses__answer=AllyResponse.Answer.REPLIED),
                      distinct=True),
        reported=Count("responses",
                       filter=Q(responses__answer=AllyResponse.Answer.REPORTED),
                       distinct=True)))
    preview = call_content(CallToAction(org=access.org, post=post)) if callable_ else None
    return render(request, "allies/call.html", {
        "member": access, "org": access.org, "post": post, "callable": callable_,
        "confirmed": confirmed, "form": form, "preview": preview, "calls": calls,
    })


def _send(request: HttpRequest, access: OrgAccess, post: Post, allies: list[Ally]) -> int:
    with transaction.atomic():
        call = CallToAction.objects.create(
            org=access.org, post=post, sent_by=access.user,
            sent_by_name=access.user.get_username(), site_url=request.build_absolute_uri("/"))
        count = queue_call(call, allies, timezone.now())
        dispatch_after_commit()
    return count
