"""Recovery codes: ten single-use codes (django-otp's static device) that stand in for the
authenticator app when a phone is lost, so a member gets back in without an admin."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

CODES = 10
DEVICE_NAME = "Recovery codes"


def regenerate(user: AbstractBaseUser) -> list[str]:
    """Ten new codes, replacing any left: shown once, each accepted once."""
    codes = [StaticToken.random_token() for _ in range(CODES)]
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
        device.throttle_reset()
    return codes


def remaining(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def device(user: AbstractBaseUser) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()
