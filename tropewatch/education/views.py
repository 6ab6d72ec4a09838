"""The education library in the console: readable by every role of the organisation."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from tropewatch.accounts.access import org_access

from .library import page, pages


def _href(org_slug: str) -> Callable[[str], str]:
    return lambda category_id: reverse(
        "education:category", kwargs={"org_slug": org_slug, "category_id": category_id})


@login_required
def index_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    # Supporters who flag posts read the explainers too: they are public education.
    access = org_access(request, org_slug, reporters=True)
    return render(request, "education/index.html", {
        "member": access, "org": access.org, "pages": pages(_href(org_slug)),
    })


@login_required
def category_view(request: HttpRequest, org_slug: str, category_id: str) -> HttpResponse:
    # Supporters who flag posts read the explainers too: they are public education.
    access = org_access(request, org_slug, reporters=True)
    try:
        shown = page(category_id, _href(org_slug))
    except KeyError:
        raise Http404("No such taxonomy category.") from None
    return render(request, "education/category.html", {
        "member": access, "org": access.org, "page": shown,
        "index_href": reverse("education:index", kwargs={"org_slug": org_slug}),
    })
