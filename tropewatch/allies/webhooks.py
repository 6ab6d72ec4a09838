"""Posting to a chat service's incoming webhook. The address is untrusted admin input: https
only, to a host on the public internet (the hosts ALLIES_WEBHOOK_HTTP_HOSTS names are exempt,
for tests and local relays), a short timeout, and no redirect followed, so a webhook cannot
send tropewatch into the deployment's own network or elsewhere."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import httpx
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
    # httpx, as the platform reports use; it follows no redirect unless told to, so a 3xx
    # is refused below like any other answer that is not 2xx.
    try:
        answer = httpx.post(url, json=payload, headers={"User-Agent": "tropewatch"},
                            timeout=settings.ALLIES_WEBHOOK_TIMEOUT_SECONDS,
                            follow_redirects=False)
    except httpx.HTTPError as error:
        raise WebhookError(f"the webhook could not be reached: {error}") from None
    if not answer.is_success:
        raise WebhookError(f"the webhook answered HTTP {answer.status_code}")
