"""The audit log page and its CSV export (leads and admins)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import render

from tropewatch.safecsv import SafeWriter

from ..access import get_audit_for
from ..audit import AuditFilterForm, csv_rows

PAGE_SIZE = 100


@login_required
def audit_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_audit_for(request, org_slug)
    form = AuditFilterForm(request.GET)
    page = Paginator(form.events(access.org), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "review/audit.html", {
        "member": access, "org": access.org, "form": form, "page": page,
        "query": query.urlencode(),
    })


class _Echo:
    """SafeWriter writes into this and gets the line back, for streaming."""

    def write(self, value: str) -> str:
        return value


@login_required
def audit_csv_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = get_audit_for(request, org_slug)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        # The page shows a bad filter beside its field and ignores it; a download has nowhere
        # to say so, and ignoring it would export events that were filtered out.
        return HttpResponseBadRequest(
            form.errors.as_text(), content_type="text/plain; charset=utf-8"
        )
    writer = SafeWriter(_Echo())
    events = form.events(access.org)
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in csv_rows(events)), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="audit-{access.org.slug}.csv"'
    return response
