"""Logging in and out, and setting up and entering the second factor (with recovery codes)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from . import recovery, two_factor
from .forms import CodeForm, LoginForm, RecoveryCodeForm


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


@sensitive_post_parameters("password", "code")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        auth_login(request, form.user)
        if form.device is not None:
            otp_login(request, form.device)
        return redirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect(settings.LOGIN_URL)


@sensitive_post_parameters("code")
@never_cache
@login_required
def two_factor_view(request: HttpRequest) -> HttpResponse:
    """Enter the code of a confirmed device (or a recovery code), or enrol a new device; a new
    device comes with its first recovery codes."""
    device = two_factor.confirmed_device(request.user)
    enrolling = device is None
    if enrolling:
        device = two_factor.pending_device(request.user)
    data = request.POST if request.method == "POST" else None
    using_recovery = data is not None and "recovery" in data and not enrolling
    form = (RecoveryCodeForm if using_recovery else CodeForm)(data)
    if form.is_valid():
        code = form.cleaned_data["code"]
        if enrolling:
            refused = two_factor.confirm_device(device, code)
        else:
            device = two_factor.device_for_code(request.user, code)
            refused = two_factor.refusal(device, code)
        if not refused:
            otp_login(request, device)
            if enrolling:
                return _show_recovery_codes(request)
            return redirect(_next_url(request))
        form.add_error("code", refused)
    context = {"form": form, "enrolling": enrolling, "next": _next_url(request),
               "using_recovery": using_recovery}
    if enrolling:
        context["secret"] = two_factor.readable_secret(device)
    else:
        context["recovery_form"] = form if using_recovery else RecoveryCodeForm()
        if using_recovery:
            context["form"] = CodeForm()
    return render(request, "accounts/two_factor.html", context)


def _show_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New codes, on the one page that ever shows them."""
    return render(request, "accounts/recovery_codes.html", {
        "codes": recovery.regenerate(request.user), "next": _next_url(request),
    })


@sensitive_post_parameters("code")
@never_cache
@login_required
def recovery_codes_view(request: HttpRequest) -> HttpResponse:
    """How many recovery codes are left, and new ones on request (the old ones stop working).
    Only in a session verified with a second factor: a stolen password alone must not be
    enough to mint codes."""
    if not request.user.is_verified():
        return redirect(f"{reverse('accounts:two_factor')}?next={reverse('accounts:recovery')}")
    if request.method == "POST":
        return _show_recovery_codes(request)
    return render(request, "accounts/recovery_codes.html", {
        "remaining": recovery.remaining(request.user), "next": _next_url(request),
    })


@never_cache
@login_required
def two_factor_qr(request: HttpRequest) -> HttpResponse:
    if two_factor.confirmed_device(request.user) is not None:
        raise PermissionDenied("Two-factor login is set up already.")
    svg = two_factor.qr_svg(two_factor.pending_device(request.user))
    return HttpResponse(svg, content_type="image/svg+xml")
