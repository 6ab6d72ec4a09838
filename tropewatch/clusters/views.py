"""A cluster's page: its members, one decision for all of its open posts (after a
confirmation naming the count), and splitting out a member that differs."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tropewatch.orgs.models import Organisation
from tropewatch.review.access import ItemAccess, get_queue_for
from tropewatch.review.bulk import decisions_for, last_label
from tropewatch.review.decisions import record_many
from tropewatch.review.forms import BulkForm
from tropewatch.review.models import DismissReason
from tropewatch.review.queue import queue
from tropewatch.review.status import Action, Status
from tropewatch.review.views.bulk import confirm_page, report_bulk

from .models import Cluster, ClusterMember

# Members listed on the page; the count above the list says how many there are in all.
SHOWN = 500


class ClusterDecisionForm(BulkForm):
    posts = None  # the cluster's open posts, found when the decision is taken
    count = forms.IntegerField(required=False, widget=forms.HiddenInput)


def _cluster_for(request: HttpRequest, org_slug: str, cluster_id: int,
                 deciding: bool = False) -> tuple[Cluster, ItemAccess]:
    access = get_queue_for(request, org_slug)
    if deciding and not access.can_decide:
        raise PermissionDenied("Your role does not decide clusters.")
    return get_object_or_404(Cluster, org=access.member.org, pk=cluster_id), access


def _cluster_url(org: Organisation, cluster: Cluster) -> str:
    return reverse("clusters:cluster", kwargs={"org_slug": org.slug, "cluster_id": cluster.pk})


def open_members(org: Organisation, user, cluster: Cluster) -> list[int]:
    """The cluster's posts that are in the queue as open items (flagged, undecided, not held
    by someone else): what a decision on the cluster applies to."""
    return list(queue(org, user).filter(post__cluster_member__cluster=cluster)
                .values_list("post_id", flat=True))


@login_required
def cluster_view(request: HttpRequest, org_slug: str, cluster_id: int) -> HttpResponse:
    cluster, access = _cluster_for(request, org_slug, cluster_id)
    org = access.member.org
    members = (
        ClusterMember.objects.filter(cluster=cluster)
        .select_related("post", "post__source")
        .annotate(status=Coalesce("post__review_state__status", Value(Status.OPEN.value)))
        .order_by("post__created_at", "post_id")
    )
    return render(request, "clusters/cluster.html", {
        "access": access, "member": access.member, "org": org, "cluster": cluster,
        "members": members[:SHOWN], "total": members.count(),
        "open_count": len(open_members(org, request.user, cluster)),
        "reasons": DismissReason.choices, "undo_label": last_label(request, org),
        "queue": request.GET.get("queue", ""),
    })


@require_POST
@login_required
def decide_view(request: HttpRequest, org_slug: str, cluster_id: int) -> HttpResponse:
    cluster, access = _cluster_for(request, org_slug, cluster_id, deciding=True)
    org = access.member.org
    form = ClusterDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(_cluster_url(org, cluster))
    action = Action(form.cleaned_data["action"])
    post_ids = open_members(org, request.user, cluster)
    if not post_ids:
        messages.info(request, "No open posts are left in this cluster.")
        return redirect(_cluster_url(org, cluster))
    if request.POST.get("confirmed") != "1" or form.cleaned_data["count"] != len(post_ids):
        if request.POST.get("confirmed") == "1":
            messages.warning(request, f"The cluster changed: it now has {len(post_ids)} open "
                                      "posts.")
        return confirm_page(request, access.member, action, len(post_ids),
                            _cluster_url(org, cluster))
    decisions = decisions_for(org, action, post_ids, form.cleaned_data["reason"])
    report_bulk(request, org, action,
                record_many(org, decisions, request.user, access.member.role))
    return redirect(_cluster_url(org, cluster))


@require_POST
@login_required
def split_view(request: HttpRequest, org_slug: str, cluster_id: int,
               post_id: int) -> HttpResponse:
    """Take a post that differs materially out of the cluster: it stands alone from now on,
    also when it is imported again."""
    cluster, access = _cluster_for(request, org_slug, cluster_id, deciding=True)
    member = get_object_or_404(ClusterMember, cluster=cluster, post_id=post_id)
    member.cluster = None
    member.split_by = request.user
    member.split_at = timezone.now()
    member.save(update_fields=["cluster", "split_by", "split_at"])
    messages.success(request, f"Post {member.post.platform_id} is now a queue item of its own.")
    return redirect(_cluster_url(access.member.org, cluster))
