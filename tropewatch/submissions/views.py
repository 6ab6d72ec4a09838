"""Flagging a post from the console, a reporter's own submissions, and screenshots for
whoever may see them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from tropewatch.accounts import roles
from tropewatch.accounts.access import org_access
from tropewatch.review.item_page import current_detection
from tropewatch.review.status import Status

from .explainers import explainer_for
from .forms import LinkForm
from .models import Screenshot, Submission
from .outcomes import outcome
from .services import reporter_count, submit
from .shared import shared_values

MAX_LISTED = 200


def _own(request: HttpRequest, org):
    return (
        Submission.objects.filter(org=org, reporter=request.user).select_related("post")
        .annotate(status=Coalesce("post__review_state__status", Value(Status.OPEN.value)))
    )


@login_required
def submit_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The "Submit a link" form; a GET with the share sheet's title, text and url (the PWA's
    share target) fills it in. Stored by ``services.submit``, as the API does."""
    access = org_access(request, org_slug, reporters=True)
    if not roles.can_submit(access.role):
        raise PermissionDenied("Your role may not submit posts.")
    if request.method == "POST":
        form = LinkForm(request.POST, request.FILES)
        if form.is_valid():
            flagged = submit(access.org, request.user, form.flag())
            return redirect("submissions:sent", access.org.slug, flagged.submission.pk)
    else:
        form = LinkForm(initial=shared_values(request.GET))
    return render(request, "submissions/submit.html", {
        "member": access, "org": access.org, "form": form,
    })


@login_required
def sent_view(request: HttpRequest, org_slug: str, submission_id: int) -> HttpResponse:
    """What the API answers a flag with, for a person: the verdict, the trope's explainer,
    and whether others flagged the post too. Only the supporter who sent it sees it."""
    access = org_access(request, org_slug, reporters=True)
    submission = get_object_or_404(
        Submission.objects.select_related("post__org"), org=access.org, pk=submission_id,
        reporter=request.user,
    )
    detection = current_detection(submission.post)
    return render(request, "submissions/sent.html", {
        "member": access, "org": access.org, "submission": submission,
        "detection": detection, "explainer": explainer_for(detection, submission.category),
        "others": reporter_count(submission.post) - 1,
    })


@login_required
def mine_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Every member may flag posts; this lists only the ones they flagged themselves."""
    access = org_access(request, org_slug, reporters=True)
    submissions = list(_own(request, access.org)[:MAX_LISTED])
    for submission in submissions:
        submission.outcome = outcome(submission.post_id, submission.status)
    return render(request, "submissions/mine.html", {
        "member": access, "org": access.org, "submissions": submissions,
    })


@login_required
def submission_view(request: HttpRequest, org_slug: str, post_id: int) -> HttpResponse:
    """One post as its reporter sees it: what they sent, its status and outcome. A post they
    did not flag does not exist for them (404), whatever their role."""
    access = org_access(request, org_slug, reporters=True)
    submissions = list(_own(request, access.org).filter(post_id=post_id))
    if not submissions:
        raise Http404("You did not flag this post.")
    post = submissions[0].post
    status = submissions[0].status
    return render(request, "submissions/submission.html", {
        "member": access, "org": access.org, "post": post, "status": status,
        "outcome": outcome(post.pk, status), "submissions": submissions,
    })


@login_required
def screenshot_view(request: HttpRequest, org_slug: str, submission_id: int) -> HttpResponse:
    """Screenshots show the author and often the supporter's own account: for the roles that
    see personal data, and for the supporter who took it."""
    access = org_access(request, org_slug, reporters=True)
    shot = get_object_or_404(
        Screenshot.objects.select_related("submission"), org=access.org,
        submission_id=submission_id,
    )
    if not (roles.sees_personal_data(access.role)
            or shot.submission.reporter_id == request.user.pk):
        raise PermissionDenied("Screenshots may show people; your role does not see them.")
    response = HttpResponse(bytes(shot.data), content_type=shot.content_type)
    response["Content-Disposition"] = f'inline; filename="screenshot-{submission_id}"'
    return response
