"""The console as an installable web app (docs/phone.md): its manifest, its service worker,
and the share target a phone's share sheet opens."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from tropewatch.accounts.access import orgs_for
from tropewatch.accounts.roles import can_submit

_SERVICE_WORKER = Path(__file__).parent / "static" / "pwa" / "service-worker.js"
THEME_COLOUR = "#1f5f7a"  # the console's accent (console.css)


@require_GET
def manifest_view(request: HttpRequest) -> JsonResponse:
    # The share target takes GET: a shared title, text and link only fill in a form, which the
    # supporter then sends with the console's usual CSRF-checked POST. POST (needed to share
    # files) would need a view exempt from CSRF checks, which any site could then post into,
    # or a service worker that holds the shared files until the page asks for them; a
    # screenshot is attached in the form instead. What a GET costs: the shared words are in
    # the address, so they reach the access log like any address does.
    manifest = {
        "name": "tropewatch",
        "short_name": "tropewatch",
        "description": "Flag antisemitic posts for your group's moderators.",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f5f2",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static(f"pwa/icon-{size}.png"), "sizes": f"{size}x{size}",
             "type": "image/png", "purpose": "any maskable"}
            for size in (192, 512)
        ],
        "share_target": {
            "action": reverse("pwa:share"),
            "method": "GET",
            "params": {"title": "title", "text": "text", "url": "url"},
        },
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


@require_GET
def service_worker_view(request: HttpRequest) -> HttpResponse:
    """The static file, from the site's root: a worker controls only pages under its own
    address, and the console is at the root, not under /static/."""
    response = HttpResponse(_SERVICE_WORKER.read_bytes(),
                            content_type="text/javascript; charset=utf-8")
    # Browsers check for a new worker on each visit instead of keeping an old one a day.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@login_required
def share_view(request: HttpRequest) -> HttpResponse:
    """Where the share sheet lands: the "Submit a link" form of the supporter's organisation,
    with what was shared (the form reads it from the same query). A signed-out supporter logs
    in first and comes back here with the query unchanged (login's ``next``)."""
    orgs = [org for org, role in orgs_for(request.user) if can_submit(role)]
    query = request.GET.urlencode()
    targets = [(org, f"{reverse('submissions:submit', args=[org.slug])}?{query}")
               for org in orgs]
    if len(targets) == 1:
        return redirect(targets[0][1])
    return render(request, "pwa/choose_org.html", {"targets": targets})
