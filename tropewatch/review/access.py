"""What a request may do with one post: the one place the console asks."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tropewatch.accounts import roles
from tropewatch.accounts.access import OrgAccess, org_access
from tropewatch.posts.models import Post

from .status import Action

# Who may take each action at all; whether it is allowed from the item's status is the
# transition function's call.
_ALLOWED = {
    Action.CONFIRM: "can_decide", Action.DISMISS: "can_decide",
    Action.ESCALATE: "can_escalate", Action.REOPEN: "can_reopen", Action.NOTE: "can_note",
    Action.UNDO: "can_decide",
}


@dataclass(frozen=True, slots=True)
class ItemAccess:
    member: OrgAccess
    can_decide: bool  # claim, confirm and dismiss (escalated items: leads and admins only)
    can_escalate: bool
    can_note: bool
    can_reopen: bool
    personal_data: bool  # author, author history, platform link and images
    can_export_evidence: bool  # download the evidence bundle of a confirmed/escalated item

    @classmethod
    def of(cls, access: OrgAccess) -> ItemAccess:
        role = access.role
        return cls(
            member=access,
            can_decide=roles.can_decide(role),
            can_escalate=roles.can_escalate(role),
            can_note=roles.can_note(role),
            can_reopen=roles.can_close_escalated(role),
            personal_data=roles.sees_personal_data(role),
            can_export_evidence=roles.can_export_evidence(role),
        )

    def require(self, action: Action) -> None:
        if not getattr(self, _ALLOWED[action]):
            raise PermissionDenied(f"Your role cannot {action.value} items.")


def get_post_for(request: HttpRequest, org_slug: str, post_id: int) -> tuple[Post, ItemAccess]:
    """The organisation's post and what the request may do with it; 404 for anyone outside
    the organisation, and for a post of another organisation."""
    access = org_access(request, org_slug)
    post = get_object_or_404(
        Post.objects.select_related("source", "author"), org=access.org, pk=post_id
    )
    return post, ItemAccess.of(access)


def get_queue_for(request: HttpRequest, org_slug: str) -> ItemAccess:
    """Every member may read the queue; what they may do in it follows from their role."""
    return ItemAccess.of(org_access(request, org_slug))


def get_audit_for(request: HttpRequest, org_slug: str) -> OrgAccess:
    access = org_access(request, org_slug)
    if not roles.can_read_audit(access.role):
        raise PermissionDenied("The audit log is for leads and admins.")
    return access
