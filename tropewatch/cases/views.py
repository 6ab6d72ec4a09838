"""Complaint cases in the console: the list, one case, opening one from an item, acting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tropewatch.evidence.bundle import NotAsChained, build_bundle
from tropewatch.people.services import accounts_of
from tropewatch.posts.models import Post
from tropewatch.review.item_page import current_detection

from .access import get_case_for, get_cases_for
from .case_file import render_case_file
from .forms import CaseActionForm
from .models import Case
from .services import NothingToOpen, act, open_case
from .status import ACTION_NAMES, CaseState, InvalidCaseTransition, allowed_actions


@login_required
def case_list_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_cases_for(request, org_slug)
    cases = (Case.objects.for_org(access.org).prefetch_related("authors")
             .order_by("state", "-updated_at"))
    return render(request, "cases/list.html", {"member": access, "org": access.org,
                                               "cases": cases})


@login_required
def case_view(request: HttpRequest, org_slug: str, case_id: int) -> HttpResponse:
    case, access = get_case_for(request, org_slug, case_id)
    posts = [(post, current_detection(post))
             for post in case.posts.select_related("org", "source").order_by("created_at")]
    return render(request, "cases/case.html", {
        "member": access, "org": access.org, "case": case, "posts": posts,
        "authors": case.authors.all(), "events": case.events.all(),
        "actions": [(a.value, ACTION_NAMES[a]) for a in allowed_actions(CaseState(case.state))],
        "closed": case.state == CaseState.CLOSED, "form": CaseActionForm(),
    })


@require_POST
@login_required
def open_case_view(request: HttpRequest, org_slug: str, post_id: int) -> HttpResponse:
    """Open a case about the author of a confirmed post; an unfinished case about that author
    is reused, so two leads clicking at once do not make two."""
    access = get_cases_for(request, org_slug)
    post = get_object_or_404(Post.objects.select_related("author"), org=access.org, pk=post_id)
    if post.author is None:
        messages.error(request, "This post has no author to open a case about.")
        return redirect("review:item", org_slug=org_slug, post_id=post_id)
    existing = (Case.objects.for_org(access.org).filter(authors=post.author)
                .exclude(state=CaseState.CLOSED).order_by("-created_at").first())
    if existing is not None:
        return redirect("cases:case", org_slug=org_slug, case_id=existing.pk)
    try:
        case = open_case(access.org, accounts_of(post.author), request.user, access.role)
    except NothingToOpen as exc:
        messages.error(request, f"No case opened: {exc}.")
        return redirect("review:item", org_slug=org_slug, post_id=post_id)
    messages.success(request, f"Case {case.pk} opened.")
    return redirect("cases:case", org_slug=org_slug, case_id=case.pk)


@login_required
def case_file_view(request: HttpRequest, org_slug: str, case_id: int) -> HttpResponse:
    case, access = get_case_for(request, org_slug, case_id)
    return _attachment(render_case_file(case, request.user, access.role), "application/pdf",
                       f"case-{access.org.slug}-{case.pk}.pdf")


@login_required
def case_evidence_view(request: HttpRequest, org_slug: str, case_id: int) -> HttpResponse:
    """The evidence bundle of the case's posts (docs/evidence.md): one ZIP that verifies."""
    case, access = get_case_for(request, org_slug, case_id)
    post_ids = sorted(case.posts.filter(evidence__isnull=False).distinct()
                      .values_list("pk", flat=True))
    if not post_ids:
        raise Http404("None of the case's posts has evidence.")
    try:
        data = build_bundle(access.org, post_ids)
    except NotAsChained as exc:
        return HttpResponse(f"No bundle: {exc}", status=409,
                            content_type="text/plain; charset=utf-8")
    return _attachment(data, "application/zip", f"evidence-{access.org.slug}-case-{case.pk}.zip")


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def act_view(request: HttpRequest, org_slug: str, case_id: int) -> HttpResponse:
    case, access = get_case_for(request, org_slug, case_id)
    form = CaseActionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    else:
        data = form.cleaned_data
        try:
            act(case, request.user, access.role, data["action"], data["outcome"], data["note"])
        except InvalidCaseTransition as exc:
            messages.error(request, f"Not done: {exc}.")
    return redirect("cases:case", org_slug=org_slug, case_id=case.pk)
