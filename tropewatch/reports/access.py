"""Who may do what with reports to the platforms: the one place the reports views ask."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tropewatch.accounts.access import OrgAccess, org_access
from tropewatch.posts.models import Post


def get_post_to_report(request: HttpRequest, org_slug: str, post_id: int
                       ) -> tuple[Post, OrgAccess]:
    """404 for outsiders and other organisations' posts; 403 for roles that do not report."""
    access = org_access(request, org_slug)
    post = get_object_or_404(Post.objects.select_related("author", "org"), org=access.org,
                             pk=post_id)
    if not access.can_report:
        raise PermissionDenied("Reports to the platforms are made by leads and admins.")
    return post, access


def get_settings_access(request: HttpRequest, org_slug: str) -> OrgAccess:
    access = org_access(request, org_slug)
    if not access.can_configure_reporting:
        raise PermissionDenied("The reporting settings are for admins.")
    return access
