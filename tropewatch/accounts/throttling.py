"""Which address django-axes counts a failed login against."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address the request came from. Behind the deployment's TLS proxy every request
    comes from the proxy, which appends the client's address to X-Forwarded-For; earlier
    entries were written by the client and cannot be trusted."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")
