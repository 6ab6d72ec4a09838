"""The console page where a member makes and revokes their own API tokens."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tropewatch.accounts.access import org_access

from .forms import TokenForm
from .models import ApiToken
from .tokens import create_token, revoke_token


@login_required
def tokens_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Every member, reporters included (the extension needs a token), sees and makes only
    their own tokens; a new token is shown on this response and never again."""
    access = org_access(request, org_slug, reporters=True)
    form = TokenForm(request.POST if request.method == "POST" else None)
    secret = None
    if form.is_valid():
        _, secret = create_token(access.org, request.user, form.cleaned_data["name"])
        form = TokenForm()
    tokens = ApiToken.objects.filter(org=access.org, user=request.user)[:100]
    return render(request, "api/tokens.html", {
        "member": access, "org": access.org, "form": form, "secret": secret, "tokens": tokens,
        "api_base": request.build_absolute_uri("/api/v1/"),
    })


@require_POST
@login_required
def revoke_view(request: HttpRequest, org_slug: str, token_id: int) -> HttpResponse:
    access = org_access(request, org_slug, reporters=True)
    revoke_token(get_object_or_404(ApiToken, pk=token_id, org=access.org, user=request.user))
    return redirect("api:tokens", org_slug=access.org.slug)
