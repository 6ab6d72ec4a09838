"""One item: reading it, deciding it, noting on it, skipping it, and its images."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tropewatch.evidence.bundle import (
    NoEvidence,
    NotAsChained,
    build_bundle,
    bundle_filename,
)
from tropewatch.evidence.models import EvidenceRecord
from tropewatch.reports.platform_rules import PLATFORMS

from .. import item_page as facts
from ..access import get_post_for
from ..claims import held_by_other, release_claim
from ..decisions import ClaimedByOther, Decision, record
from ..forms import DecisionForm, NoteForm
from ..links import external_url
from ..media import image_hosts, image_urls
from ..models import DismissReason, ReviewState
from ..status import Action, InvalidTransition, Status
from .common import advance, item_url, queue_query, queue_url, skip


@login_required
def item_view(request: HttpRequest, org_slug: str, post_id: int) -> HttpResponse:
    post, access = get_post_for(request, org_slug, post_id)
    detection = facts.current_detection(post)
    state = ReviewState.objects.filter(post=post).first()
    status = Status(state.status) if state else Status.OPEN
    detected = [c.get("id") for c in detection.categories] if detection else []
    context = {
        "access": access, "member": access.member, "org": access.member.org, "post": post,
        "detection": detection,
        "status": status, "segments": facts.highlighted(post, detection),
        "categories": facts.explained_categories(detection),
        "ancestors": facts.ancestors(post), "replies": facts.replies(post),
        "events": facts.history(post), "claim": held_by_other(post.pk, request.user),
        "decision_form": DecisionForm(initial={"categories": detected}),
        "note_form": NoteForm(), "reasons": DismissReason.choices,
        "queue": queue_query(request), "decided": status in (Status.CONFIRMED, Status.DISMISSED),
        "flags": facts.flags(post),
        # It replies to a post that was never imported: say so, or the post reads as if
        # it started the conversation.
        "parent_missing": post.parent_platform_id is not None and post.parent_id is None,
    }
    context["reporters"] = len({flag.reporter_id for flag in context["flags"] if flag.reporter_id})
    # Posts from csv or jsonl files do not say which platform's rules apply.
    context["reportable"] = post.platform in PLATFORMS
    if access.can_export_evidence:
        context["has_evidence"] = EvidenceRecord.objects.filter(post=post).exists()
    if access.personal_data:
        context["author_history"] = facts.author_history(post)
        context["link"] = external_url(post.url)
        context["parent_link"] = external_url(post.parent_url)
        context["image_count"] = len(image_urls(post))
    return render(request, "review/item.html", context)


@require_POST
@login_required
def decide_view(request: HttpRequest, org_slug: str, post_id: int) -> HttpResponse:
    post, access = get_post_for(request, org_slug, post_id)
    org = access.member.org
    query = queue_query(request)
    try:
        action = Action(request.POST.get("action", ""))
    except ValueError:
        return HttpResponseBadRequest("Unknown action.")
    access.require(action)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(item_url(org, post.pk, query))
    data = form.cleaned_data
    decision = Decision(
        action,
        categories=data["categories"] if action == Action.CONFIRM else (),
        reason=data["reason"] if action == Action.DISMISS else "",
        note=data["note"],
    )
    try:
        record(org, post.pk, request.user, access.member.role, decision)
    except (InvalidTransition, ClaimedByOther) as refusal:
        messages.error(request, f"Not saved: {refusal}.")
        return redirect(item_url(org, post.pk, query))
    messages.success(request, f"{post.label}: {action.value} saved.")
    if access.can_decide and action != Action.REOPEN:
        # straight on to the next item
        return advance(request, org, request.user, query, access.personal_data)
    return redirect(queue_url(org, query))


@require_POST
@login_required
def note_view(request: HttpRequest, org_slug: str, post_id: int) -> HttpResponse:
    post, access = get_post_for(request, org_slug, post_id)
    access.require(Action.NOTE)
    form = NoteForm(request.POST)
    if form.is_valid():
        record(access.member.org, post.pk, request.user, access.member.role,
               Decision(Action.NOTE, note=form.cleaned_data["note"]))
    if request.headers.get("HX-Request"):
        return render(request, "review/history.html", {
            "events": facts.history(post), "note_form": NoteForm() if form.is_valid() else form,
            "post": post, "org": access.member.org, "access": access, "member": access.member,
            "queue": queue_query(request),
        })
    return redirect(item_url(access.member.org, post.pk, queue_query(request)))


@require_POST
@login_required
def skip_view(request: HttpRequest, org_slug: str, post_id: int) -> HttpResponse:
    """Leave this item for someone else and take the next one."""
    post, access = get_post_for(request, org_slug, post_id)
    if not access.can_decide:
        raise PermissionDenied("Your role does not claim items.")
    release_claim(post.pk, request.user)
    skip(request, access.member.org, post.pk)
    return advance(request, access.member.org, request.user, queue_query(request),
                   access.personal_data)


# Images come from the platforms' own media servers (media.py): allowed on this page only,
# which opens only when a moderator asks for it, host by host, and blurred until clicked.
@login_required
def images_view(request: HttpRequest, org_slug: str, post_id: int) -> HttpResponse:
    post, access = get_post_for(request, org_slug, post_id)
    if not access.personal_data:
        raise PermissionDenied("Images may show people; your role does not see them.")
    images = image_urls(post)
    response = render(request, "review/images.html", {
        "post": post, "org": access.member.org, "access": access, "member": access.member,
        "images": images, "queue": queue_query(request),
    })
    if images:
        response._csp_update = {"img-src": image_hosts(images)}  # read by django-csp
    return response


@login_required
def evidence_view(request: HttpRequest, org_slug: str, post_id: int) -> HttpResponse:
    """The item's evidence bundle (docs/evidence.md), for leads and admins."""
    post, access = get_post_for(request, org_slug, post_id)
    if not access.can_export_evidence:
        raise PermissionDenied("Evidence bundles are for leads and admins.")
    org = access.member.org
    try:
        bundle = build_bundle(org, [post.pk])
    except NoEvidence as exc:
        raise Http404(str(exc)) from exc
    except NotAsChained as exc:
        # Said plainly, not a 500: whoever asked needs to know the evidence was altered.
        return HttpResponse(f"No bundle: {exc}.", status=409,
                            content_type="text/plain; charset=utf-8")
    response = HttpResponse(bundle, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{bundle_filename(org, [post.pk])}"'
    # Personal data: never kept by a browser or a proxy (the middleware says so for every
    # signed-in response; said here too, as this one must never be cached).
    response["Cache-Control"] = "no-store"
    return response
