"""The leads' dashboard, and each chart's data (CSV) and picture (SVG) to download."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string

from tropewatch.accounts import roles
from tropewatch.accounts.access import OrgAccess, org_access
from tropewatch.allies.counts import answers_per_week
from tropewatch.education.counts import call_outs_per_week
from tropewatch.safecsv import SafeWriter

from . import charts
from .before_after import before_after
from .forms import DashboardFilterForm
from .metrics import Filters, model_versions, version_breaks
from .rollups import refresh
from .weekly import last_full_week, weekly_summary


def _access(request: HttpRequest, org_slug: str) -> OrgAccess:
    access = org_access(request, org_slug)
    if not roles.can_see_dashboard(access.role):
        raise PermissionDenied("The dashboard is for leads and admins.")
    return access


def _filters(request: HttpRequest, access: OrgAccess) -> tuple[DashboardFilterForm, Filters]:
    form = DashboardFilterForm(access.org, request.GET)
    return form, form.filters()


@login_required
def dashboard_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = _access(request, org_slug)
    # Days changed since the last roll-up (a decision a minute ago), when no worker has
    # rolled them up yet: usually none, and then this is one query.
    refresh(access.org)
    form, filters = _filters(request, access)
    change = form.cleaned_data.get("change")
    query = request.GET.urlencode()
    period = (filters.since or date(2000, 1, 1), filters.until or date.today())
    shown = [charts.build(slug, access.org, filters) for slug in charts.BUILDERS
             if charts.allowed(slug, access.role)]
    return render(request, "impact/dashboard.html", {
        "member": access, "org": access.org, "form": form, "charts": shown, "query": query,
        "breaks": version_breaks(model_versions(access.org, filters)),
        "change": change, "estimates": before_after(access.org, change, filters)
        if change else [],
        # Replies the group posted (education app), and what allies answered to calls to
        # action (allies app), by week.
        "call_outs": call_outs_per_week(access.org, *period),
        "ally_answers": answers_per_week(access.org, *period),
    })


@login_required
def chart_download_view(request: HttpRequest, org_slug: str, slug: str,
                        fmt: str) -> HttpResponse:
    access = _access(request, org_slug)
    if not charts.allowed(slug, access.role):
        raise Http404("No such chart")
    _, filters = _filters(request, access)
    chart = charts.build(slug, access.org, filters)
    name = f"{access.org.slug}-{slug}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = SafeWriter(response)
        writer.writerow(chart.columns)
        for row in chart.rows:
            writer.writerow(["" if value is None else value for value in row])
    else:
        response = HttpResponse(render_to_string("impact/chart.svg", {"chart": chart}),
                                content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def weekly_pdf_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The weekly summary to forward: the last whole week, or the one ending on ``week_ending``
    (YYYY-MM-DD)."""
    access = _access(request, org_slug)
    refresh(access.org)
    try:
        week_ending = (date.fromisoformat(request.GET["week_ending"])
                       if request.GET.get("week_ending") else last_full_week())
    except ValueError:
        return HttpResponseBadRequest("week_ending: give a date as YYYY-MM-DD",
                                      content_type="text/plain; charset=utf-8")
    summary = weekly_summary(access.org, week_ending)
    response = HttpResponse(summary.pdf(), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{access.org.slug}-week-{week_ending.isoformat()}.pdf"')
    return response
