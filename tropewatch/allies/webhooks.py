"""Posting to a chat service's incoming webhook. The address is untrusted admin input: https
only, to a host on the public internet (the hosts ALLIES_WEBHOOK_HTTP_HOSTS names are exempt,
for tests and local relays), a short timeout, and no redirect followed, so a webhook cannot
send tropewatch into the deployment's own network or elsewhere."""

from __future__ import annotations

import ipaddress
import json
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings


class WebhookError(Exception):
    """The webhook refused the message or could not be reached; the text says why."""


def webhook_url_problem(url: str) -> str | None:
    """Why ``url`` may not be a webhook, or None when it may."""
    parts = urlsplit(url)
    if not parts.hostname:
        return "Give the webhook's full address, starting https://"
    if parts.username or parts.password:
        return "A webhook address must not hold a user name or password."
    if parts.scheme == "https":
        return None
    if parts.scheme == "http" and parts.hostname in settings.ALLIES_WEBHOOK_HTTP_HOSTS:
        return None
    return "A webhook address must start https://"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx status


_opener = urllib.request.build_opener(_NoRedirects)


def _private_address(host: str) -> str | None:
    """An address ``host`` resolves to that is not on the public internet, if any. (A name
    that resolves differently a moment later is not caught: this keeps out the plain cases,
    an address typed in or a name for an internal service.)"""
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError:
        return None  # unresolvable: the request fails and says so
    for *_, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if not address.is_global:
            return str(address)
    return None


def post_json(url: str, payload: dict) -> None:
    """POST ``payload``; returns on a 2xx answer, raises WebhookError otherwise."""
    problem = webhook_url_problem(url)
    if problem:
        raise WebhookError(problem)
    host = urlsplit(url).hostname
    private = None if host in settings.ALLIES_WEBHOOK_HTTP_HOSTS else _private_address(host)
    if private:
        raise WebhookError(f"the webhook's host is on a private address ({private})")
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "tropewatch"})
    try:
        with _opener.open(request, timeout=settings.ALLIES_WEBHOOK_TIMEOUT_SECONDS) as answer:
            answer.read(1024)
    except urllib.error.HTTPError as error:
        raise WebhookError(f"the webhook answered HTTP {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        raise WebhookError(f"the webhook could not be reached: {error}") from None
