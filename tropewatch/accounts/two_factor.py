"""TOTP devices (django-otp): enrolling one, checking a code (or a recovery code), the wait
after a wrong one, and the QR code that carries the secret to an authenticator app."""

from __future__ import annotations

import io
import math
from base64 import b32encode

import segno
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import recovery

DEVICE_NAME = "Authenticator app"


def confirmed_device(user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: AbstractBaseUser) -> TOTPDevice:
    """The device being enrolled: made on first visit, the same one until confirmed, so the
    QR code a person scanned stays valid if they reload the page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def confirm_device(device: TOTPDevice, code: str) -> str:
    """Confirms the device when ``code`` is what it shows now; otherwise why not (``refusal``)."""
    refused = refusal(device, code)
    if not refused:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return refused


def device_for_code(user: AbstractBaseUser, code: str) -> Device | None:
    """The device a code is meant for: the app's codes are digits, recovery codes are not.
    Checking only that one keeps a mistyped recovery code from slowing down the app's codes."""
    if code.isdigit():
        return confirmed_device(user)
    return recovery.device(user)


def refusal(device: Device | None, code: str) -> str:
    """Checks ``code`` on ``device`` (using up a recovery code): "" when accepted, otherwise
    what to tell the person. django-otp doubles the wait after each wrong code (1, 2, 4 ...
    seconds) and refuses even the right code before then, so that is said as a lockout, with
    the seconds left, not as a wrong code."""
    if device is None:
        return ("This account has no recovery codes." if not code.isdigit()
                else "This account has no authenticator app set up.")
    wait = wait_seconds(device)
    if wait:
        return (f"Locked for {_seconds(wait)} after a wrong code: wait, then enter the code "
                "your app shows then.")
    if device.verify_token(code):
        return ""
    return (f"That code is not right. Wait {_seconds(wait_seconds(device))} before the next "
            "try: each wrong code doubles the wait.")


def wait_seconds(device: Device) -> int:
    """Whole seconds until ``device`` takes another code; 0 when it takes one now."""
    allowed, data = device.verify_is_allowed()
    if allowed or not data or "locked_until" not in data:
        return 0
    return max(1, math.ceil((data["locked_until"] - timezone.now()).total_seconds()))


def _seconds(count: int) -> str:
    return f"{count} second{'' if count == 1 else 's'}"


def forget_devices(user: AbstractBaseUser) -> None:
    """An admin's reset for a lost phone: the app and the recovery codes both go, and the
    member sets up a new app at their next login (sessions verified by them lapse)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def readable_secret(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> bytes:
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        buffer, kind="svg", scale=5, border=2, xmldecl=False, svgns=True
    )
    return buffer.getvalue()
