"""What the console's views share: the queue a moderator is working through (its filters
travel with them from item to item as one query string) and moving on to the next item."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse

from tropewatch.orgs.models import Organisation

from ..claims import claim_next
from ..forms import QueueFilterForm
from ..queue import QueueFilters, queue

# Posts a moderator skipped stay out of their "next" until the session ends (capped).
_MAX_SKIPPED = 500


def queue_filters(
    org: Organisation, query: QueryDict, personal_data: bool
) -> tuple[QueueFilterForm, QueueFilters]:
    form = QueueFilterForm(org, query, personal_data=personal_data)
    return form, form.filters()


def queue_query(request: HttpRequest) -> str:
    """The filters of the queue the request came from, as a query string."""
    return request.POST.get("queue") or request.GET.get("queue") or ""


def queue_url(org: Organisation, query: str = "", **extra: str) -> str:
    url = reverse("review:queue", kwargs={"org_slug": org.slug})
    params = "&".join(part for part in (query, urlencode(extra)) if part)
    return f"{url}?{params}" if params else url


def item_url(org: Organisation, post_id: int, query: str = "") -> str:
    url = reverse("review:item", kwargs={"org_slug": org.slug, "post_id": post_id})
    return f"{url}?{urlencode({'queue': query})}" if query else url


def _skipped_key(org: Organisation) -> str:
    return f"review-skipped-{org.pk}"


def skip(request: HttpRequest, org: Organisation, post_id: int) -> None:
    skipped = request.session.get(_skipped_key(org), [])
    request.session[_skipped_key(org)] = [*skipped, post_id][-_MAX_SKIPPED:]


def advance(
    request: HttpRequest, org: Organisation, user: AbstractBaseUser, query: str,
    personal_data: bool,
) -> HttpResponse:
    """Claim the next item of the queue being worked and open it; back to the queue, saying
    it is done, when nothing is left."""
    _, filters = queue_filters(org, QueryDict(query), personal_data)
    skipped = request.session.get(_skipped_key(org), [])
    post_id = claim_next(org, user, queue(org, user, filters), skip=skipped)
    if post_id is None:
        return redirect(queue_url(org, query, done="1"))
    return redirect(item_url(org, post_id, query))
