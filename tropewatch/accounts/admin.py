from datetime import datetime

from axes.admin import AccessAttemptAdmin
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from . import throttling
from .models import AdminEvent, Invitation, Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "org", "role", "created_at"]
    list_filter = ["org", "role"]
    search_fields = ["user__username"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["org", "role", "invitee", "created_at", "expires_at", "accepted_at"]
    list_filter = ["org", "role"]
    # Invitations are made in the console, which shows the link once; the database keeps only
    # a digest of the token, so one cannot be made (or read back) here.
    exclude = ["token_sha256"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AdminEvent)
class AdminEventAdmin(admin.ModelAdmin):
    """The organisations' admin log, to read: it is append-only."""

    list_display = ["created_at", "org", "actor_name", "actor_role", "action", "subject",
                    "detail"]
    list_filter = ["org", "action"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# django-axes' access attempts (registered by axes itself), with when each lockout ends and an
# action to lift it: a moderator locked out by someone guessing at their name, from an address
# they share, need not wait for the back-off to run its course.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginFailuresAdmin(AccessAttemptAdmin):
    list_display = [*AccessAttemptAdmin.list_display, "locked_until"]
    actions = ["unlock"]

    @admin.display(description="locked until")
    def locked_until(self, obj: AccessAttempt) -> datetime | None:
        return throttling.locked_until(obj.username, obj.ip_address, timezone.now())

    @admin.action(description="Unlock: forget these failed logins", permissions=["delete"])
    def unlock(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        pairs = set(queryset.values_list("username", "ip_address"))
        forgotten = sum(
            AxesProxyHandler.reset_attempts(username=username, ip_address=ip_address)
            for username, ip_address in pairs
        )
        self.message_user(
            request, f"Unlocked {len(pairs)} login(s): {forgotten} failure record(s) forgotten."
        )
