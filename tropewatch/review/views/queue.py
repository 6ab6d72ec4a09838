"""The queue page (and its rows as an HTMX fragment), starting work, and bulk actions."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tropewatch.accounts.access import orgs_for, start_page
from tropewatch.clusters.queue import count_copies, count_items, one_row_per_cluster
from tropewatch.posts.models import Detection
from tropewatch.web.params import MAX_ID, bounded_int

from ..access import get_queue_for
from ..bulk import decisions_for, last_label
from ..decisions import record_many
from ..forms import BulkForm
from ..models import DismissReason
from ..queue import SORTS, QueueFilters, queue, with_details
from ..status import Action
from .bulk import confirm_page, report_bulk
from .common import advance, queue_filters, queue_query, queue_url

PAGE_SIZE = 50
# Counting a long queue exactly costs as much as ranking it; past this it says "1000+".
COUNT_CAP = 1000
# A queue found longer than the cap says so for this long without being counted again. A
# shorter one is counted on every page, so that deciding an item lowers its count at once.
LONG_QUEUE_SECONDS = 30
# The last page whose rows' offset the database can still hold.
MAX_PAGE = MAX_ID // PAGE_SIZE - 1


@dataclass(frozen=True, slots=True)
class QueuePage:
    number: int
    items: list[Detection]
    has_next: bool
    total: int  # at most COUNT_CAP + 1

    @classmethod
    def of(cls, ranked: QuerySet[Detection], number: str | None,
           long_queue_key: str) -> QueuePage:
        """The page ``number`` of ``ranked`` (the queue before its clusters are grouped);
        ``long_queue_key`` names the queue, its filters included, in the cache."""
        # Not a page number, or past any the database can reach: the first page.
        page = bounded_int(number, min_value=1, max_value=MAX_PAGE) or 1
        start = (page - 1) * PAGE_SIZE
        # One row past the page says whether there is a next one.
        rows = one_row_per_cluster(ranked).values_list("pk", flat=True)
        ids = list(rows[start : start + PAGE_SIZE + 1])
        return cls(page, with_details(ids[:PAGE_SIZE]), len(ids) > PAGE_SIZE,
                   total_of(ranked, long_queue_key))

    @property
    def total_label(self) -> str:
        return f"{COUNT_CAP}+" if self.total > COUNT_CAP else str(self.total)


def total_of(ranked: QuerySet[Detection], long_queue_key: str) -> int:
    """``count_items`` of the queue, at most COUNT_CAP + 1; a queue counted past the cap in
    the last LONG_QUEUE_SECONDS is taken to be still past it (in the cache of this process,
    or the one CACHES shares). At 1,000,000 posts the count was 9 of a page's 63 ms, and 28
    of a filtered page's 85."""
    if cache.get(long_queue_key) == COUNT_CAP:  # the cap it was counted against
        return COUNT_CAP + 1
    total = count_items(ranked, COUNT_CAP)
    if total > COUNT_CAP:
        cache.set(long_queue_key, COUNT_CAP, LONG_QUEUE_SECONDS)
    return total


def long_queue_key(org_pk: int, filters: QueueFilters) -> str:
    """The cache key of one queue: the organisation's, with these filters (for any
    moderator: the claims of others, which it leaves out, are a handful)."""
    digest = hashlib.sha256(repr(filters).encode()).hexdigest()[:32]
    return f"review-long-queue-{org_pk}-{digest}"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    orgs = orgs_for(request.user)
    if len(orgs) == 1:
        return redirect(start_page(*orgs[0]))
    return render(request, "review/home.html",
                  {"orgs": [(org, role, start_page(org, role)) for org, role in orgs]})


@login_required
def queue_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_queue_for(request, org_slug)
    org = access.member.org
    form, filters = queue_filters(org, request.GET, access.personal_data)
    ranked = queue(org, request.user, filters)
    page = QueuePage.of(ranked, request.GET.get("page"), long_queue_key(org.pk, filters))
    count_copies(page.items, ranked)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("done", None)
    context = {
        "access": access, "member": access.member, "org": org, "form": form, "page": page,
        "query": query.urlencode(), "done": request.GET.get("done") == "1",
        "reasons": DismissReason.choices, "sort": filters.sort,
        "sort_label": SORTS[filters.sort][0],
        "sort_queries": sort_queries(query), "undo_label": last_label(request, org),
    }
    # HTMX swaps only the rows when the filters change; a full page otherwise.
    fragment = request.headers.get("HX-Request") == "true"
    return render(request, "review/queue_rows.html" if fragment else "review/queue.html", context)


def sort_queries(query: QueryDict) -> dict[str, str]:
    """For each order the queue can be sorted in, the query string of the same queue sorted
    that way: the column headings link to them."""
    out = {}
    for key in SORTS:
        sorted_query = query.copy()
        sorted_query["sort"] = key
        out[key] = sorted_query.urlencode()
    return out


@require_POST
@login_required
def next_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Claim the highest-priority item nobody else holds, and open it."""
    access = get_queue_for(request, org_slug)
    if not access.can_decide:
        raise PermissionDenied("Your role does not claim items.")
    return advance(request, access.member.org, request.user, queue_query(request),
                   access.personal_data)


@require_POST
@login_required
def bulk_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_queue_for(request, org_slug)
    if not access.can_decide:
        raise PermissionDenied("Your role does not act on many items at once.")
    org = access.member.org
    form = BulkForm(request.POST)
    query = queue_query(request)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(queue_url(org, query))
    action = Action(form.cleaned_data["action"])
    post_ids = form.cleaned_data["posts"]
    if request.POST.get("confirmed") != "1":
        return confirm_page(request, access.member, action, len(post_ids), queue_url(org, query))
    decisions = decisions_for(org, action, post_ids, form.cleaned_data["reason"])
    report_bulk(request, org, action, record_many(org, decisions, request.user,
                                                  access.member.role))
    return redirect(queue_url(org, query))
