"""Typed readers for settings that come from the environment.

Each one fails loudly, naming the variable, when a value cannot be what the setting needs:
a typo such as ``DEBUG=ture`` must stop the process, not silently become a default.
"""

from __future__ import annotations

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


_MAKE_A_KEY = (
    "e.g. SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))')"
)


def check_secret_key(value: str) -> None:
    """Refuse a SECRET_KEY that a web server must not sign sessions with: missing, or weaker
    than what `manage.py check --deploy` accepts (Django's own limits: 50 characters, 5 of
    them different, not a generated 'django-insecure-' key)."""
    from django.core.checks.security import base as django_checks

    if not value:
        raise ImproperlyConfigured(
            f"SECRET_KEY is not set: a web server needs a long random secret, {_MAKE_A_KEY}"
        )
    if (
        len(value) < django_checks.SECRET_KEY_MIN_LENGTH
        or len(set(value)) < django_checks.SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or value.startswith(django_checks.SECRET_KEY_INSECURE_PREFIX)
    ):
        raise ImproperlyConfigured(
            f"SECRET_KEY is too weak ({len(value)} characters, {len(set(value))} different): "
            f"a web server needs at least {django_checks.SECRET_KEY_MIN_LENGTH} random "
            f"characters, {_MAKE_A_KEY}"
        )


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    word = value.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected one of 1/0, true/false, yes/no, on/off")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number") from None


def envlist(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; blank items are dropped."""
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def envnetworks(name: str) -> list[str]:
    """A comma-separated list of IP addresses or networks (``10.0.0.1``, ``172.16.0.0/12``)."""
    items = envlist(name, [])
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an IP address or network (e.g. 10.0.0.1 or 10.0.0.0/8)"
            ) from None
    return items
