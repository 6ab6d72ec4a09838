"""Integers read from requests, bounded to what the database holds.

Every table's id is a BigAutoField (``DEFAULT_AUTO_FIELD``): a signed 64-bit integer on
SQLite and PostgreSQL alike. A Python int has no bound, and one past 2**63 - 1 that reaches
a query crashes it (SQLite cannot bind it), so no number from a request goes to the database
unchecked: ids through ``IdField`` (forms) and other numbers through ``bounded_int``.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

MAX_ID = 2**63 - 1  # the largest BigAutoField value on every database Django supports


class IdField(forms.IntegerField):
    """A row's id: a whole number from 1 to ``MAX_ID``."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


def bounded_int(value: str | None, *, min_value: int, max_value: int) -> int | None:
    """``value`` as a whole number from ``min_value`` to ``max_value``; None when it is
    missing, not a whole number, or out of range."""
    field = forms.IntegerField(required=False, min_value=min_value, max_value=max_value)
    try:
        return field.clean(value)
    except ValidationError:
        return None
