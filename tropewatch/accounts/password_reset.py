"""Password reset by email, with Django's views and forms in the console's pages, and a limit
on how often a reset can be asked for: each one sends an email to someone, so an attacker
could otherwise flood a member's inbox or use the site to send mail to any address."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy

from .throttling import client_ip

WINDOW_SECONDS = 60 * 60


def reset_allowed(request: HttpRequest, email: str) -> bool:
    """Counts this request against the client's address and the email address asked for;
    False once either is over ``PASSWORD_RESETS_PER_HOUR``. The email address is counted as
    a digest, so the cache holds no addresses."""
    digest = hashlib.sha256(email.strip().casefold().encode("utf-8")).hexdigest()
    allowed = True
    for key in (f"password-reset:ip:{client_ip(request)}", f"password-reset:email:{digest}"):
        cache.add(key, 0, timeout=WINDOW_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: this is the first of a new hour
            cache.set(key, 1, timeout=WINDOW_SECONDS)
            count = 1
        allowed = allowed and count <= settings.PASSWORD_RESETS_PER_HOUR
    return allowed


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")

    def form_valid(self, form) -> HttpResponse:
        if not reset_allowed(self.request, form.cleaned_data["email"]):
            return render(self.request, "accounts/password_reset_throttled.html", status=429)
        return super().form_valid(form)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
