"""What bulk decisions share, from the queue and from a cluster: the confirmation step that
names the count, the report of what was done, and undoing the last one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tropewatch.accounts.access import OrgAccess
from tropewatch.orgs.models import Organisation

from ..access import get_queue_for
from ..bulk import remember, undo_last
from ..decisions import BulkResult
from ..status import Action
from .common import queue_url

# Fields the confirmation page writes itself (the count is the one it names).
_ASKED_AGAIN = ("csrfmiddlewaretoken", "confirmed", "count")
_VERBS = {Action.CONFIRM: "Confirm", Action.DISMISS: "Dismiss", Action.ESCALATE: "Escalate"}


def confirm_page(request: HttpRequest, member: OrgAccess, action: Action, count: int,
                 cancel_url: str) -> HttpResponse:
    """Ask again, naming the count, with the request's own fields to send once more."""
    fields = [(key, value) for key in request.POST if key not in _ASKED_AGAIN
              for value in request.POST.getlist(key)]
    return render(request, "review/confirm_bulk.html", {
        "member": member, "org": member.org, "verb": _VERBS[action], "count": count,
        "fields": fields, "action_url": request.path, "cancel_url": cancel_url,
    })


def report_bulk(request: HttpRequest, org: Organisation, action: Action,
                result: BulkResult) -> None:
    """Say what was done and what was not, and keep it to undo."""
    remember(request, org, result,
             f"{_VERBS[action]} {result.done} post{'s' if result.done != 1 else ''}")
    messages.success(request, f"{action.value.capitalize()}: {result.done} done.")
    if result.refused:
        messages.warning(
            request,
            f"{result.refused} not changed: decided already, escalated (leads and admins "
            "close those), or someone else is reviewing them.",
        )


@require_POST
@login_required
def undo_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Undo the moderator's last bulk decision, where nobody has decided since."""
    access = get_queue_for(request, org_slug)
    if not access.can_decide:
        raise PermissionDenied("Your role does not act on many items at once.")
    org = access.member.org
    result = undo_last(request, org, request.user, access.member.role)
    messages.success(request, f"Undone: {result.done}.")
    if result.refused:
        messages.warning(request, f"{result.refused} not undone: decided again since.")
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return redirect(back)
    return redirect(queue_url(org))
