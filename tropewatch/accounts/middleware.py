from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
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


class NoStoreMiddleware:
    """Tells browsers and proxies to keep no copy of any response to a signed-in user.

    Console pages show authors' names, what they wrote and who decided what; a stored copy
    outlives the session (the back button on a shared computer, a proxy's cache). One
    middleware, not a decorator on each view, so that no page, fragment, download, error page
    or redirect is left out, including views added later. Static files never get here
    (WhiteNoise answers them first) and stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
