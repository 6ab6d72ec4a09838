"""Login throttling with django-axes: which address a failed login counts against, and how
long a username is locked out from that address.

Failures are counted per username *and* address (``AXES_LOCKOUT_PARAMETERS``), so guessing
one person's password from an address never locks out anyone else there. After
``LOGIN_FAILURE_LIMIT`` failures the pair is locked for ``LOGIN_COOLOFF``; each further failure
after a lockout ends doubles the next one, up to ``LOGIN_COOLOFF_MAX``. Failures are forgotten
``LOGIN_COOLOFF_MAX`` after the last one (``AXES_COOLOFF_TIME``), or at once by a successful
login or an admin unlocking the pair (the admin's access attempts page, or
``python manage.py axes_reset_username NAME``).
"""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta
from functools import lru_cache

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address the request came from.

    X-Forwarded-For is believed only from a proxy listed in ``TRUSTED_PROXIES``: anyone else
    can write whatever they like in it. Each proxy appends the address it was reached from, so
    the header is read from the right, through the trusted proxies, to the first address that
    is not one of them; entries further left were written by the client."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = _networks(tuple(settings.TRUSTED_PROXIES))

    def is_trusted(address) -> bool:
        return any(address in network for network in trusted)

    found = _address(remote)
    if found is None or not is_trusted(found):
        return remote
    client = remote
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        found = _address(entry)
        if found is None:
            break
        client = str(found)
        if not is_trusted(found):
            break
    return client


def lockout_length(failures: int) -> timedelta | None:
    """How long a username is locked from one address after this many recorded failures:
    ``LOGIN_COOLOFF`` at the limit, twice as long for each failure past it."""
    past_limit = failures - settings.LOGIN_FAILURE_LIMIT
    if past_limit < 0:
        return None
    longest = settings.LOGIN_COOLOFF_MAX
    # Doubled in seconds, the doublings bounded: a timedelta overflows long before failures
    # stop counting, and 2**64 times any cool-off is past any longest lockout.
    doubling = 2 ** min(past_limit, 64)
    if settings.LOGIN_COOLOFF.total_seconds() * doubling >= longest.total_seconds():
        return longest
    return settings.LOGIN_COOLOFF * doubling


def _recorded(username: str | None, ip_address: str | None, now: datetime) -> tuple[int, datetime]:
    """The failures recorded for USERNAME from IP_ADDRESS and still remembered (across the
    browsers they came from, as django-axes counts them), and when the last one was."""
    found = AccessAttempt.objects.filter(
        username=username, ip_address=ip_address,
        attempt_time__gte=now - settings.AXES_COOLOFF_TIME,
    ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    return found["failures"] or 0, found["last"]


def locked_until(username: str | None, ip_address: str | None, now: datetime) -> datetime | None:
    """When the lockout of USERNAME from IP_ADDRESS ends; None when it is not locked."""
    failures, last = _recorded(username, ip_address, now)
    length = lockout_length(failures)
    if length is None or last + length <= now:
        return None
    return last + length


def failure_limit(request: HttpRequest, credentials: dict | None) -> int:
    """``AXES_FAILURE_LIMIT``: django-axes locks out when the recorded failures reach this.

    While a lockout lasts that is the failures themselves; once it is over, one more than them,
    so that the next failure is checked again and, once recorded, locks for twice as long.
    Failures during a lockout are not recorded (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT``
    is off), so hammering a locked login neither extends nor shortens the lockout."""
    username = get_client_username(request, credentials)
    now = request.axes_attempt_time
    failures, _ = _recorded(username, request.axes_ip_address, now)
    if failures < settings.LOGIN_FAILURE_LIMIT:
        return settings.LOGIN_FAILURE_LIMIT
    if locked_until(username, request.axes_ip_address, now) is not None:
        return failures
    return failures + 1
