"""The first-run page: a fresh deployment's first organisation and admin (first_run.py)."""

from __future__ import annotations

from django.contrib.auth import login as auth_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from . import first_run
from .access import start_page
from .forms import SetupForm
from .roles import Role


@sensitive_post_parameters("token", "password1", "password2")
@never_cache
def setup_view(request: HttpRequest) -> HttpResponse:
    """Exists only while there is no organisation. The token comes in the link's query
    string and goes back in the form's body, so the form's own address carries none."""
    if not first_run.needed():
        raise Http404("This deployment is set up already.")
    posted = request.method == "POST"
    token = (request.POST if posted else request.GET).get("token", "")
    if not first_run.token_is_valid(token):
        return render(request, "accounts/setup_needs_token.html",
                      {"wrong": bool(token)}, status=403)
    form = SetupForm(request.POST if posted else None)
    if form.is_valid():
        try:
            org, user = first_run.create_first(
                form.cleaned_data["org_name"], form.cleaned_data["org_slug"], form.save)
        except first_run.AlreadySetUp:
            raise Http404("This deployment is set up already.") from None
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        # Admins see personal data, so their first stop is setting up the second factor.
        next_page = urlencode({"next": start_page(org, Role.ADMIN)})
        return redirect(f"{reverse('accounts:two_factor')}?{next_page}")
    return render(request, "accounts/setup.html", {"form": form, "token": token})
