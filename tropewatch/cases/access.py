"""Who may see and act on complaint cases: leads and admins, the one place views ask."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tropewatch.accounts import roles
from tropewatch.accounts.access import OrgAccess, org_access

from .models import Case


def get_cases_for(request: HttpRequest, org_slug: str) -> OrgAccess:
    access = org_access(request, org_slug)
    if not roles.can_handle_cases(access.role):
        raise PermissionDenied("Complaint cases are for leads and admins.")
    return access


def get_case_for(request: HttpRequest, org_slug: str, case_id: int) -> tuple[Case, OrgAccess]:
    """The organisation's case; 404 for a case of another organisation."""
    access = get_cases_for(request, org_slug)
    return get_object_or_404(Case, org=access.org, pk=case_id), access
