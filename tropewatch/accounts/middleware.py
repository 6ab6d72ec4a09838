from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .access import TwoFactorRequired


class TwoFactorMiddleware:
    """Sends a member whose role needs a second factor, and whose session has none, to the
    two-factor page, and back to where they were going afterwards."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, TwoFactorRequired):
            return None
        target = request.get_full_path() if request.method == "GET" else "/"
        return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': target})}")
