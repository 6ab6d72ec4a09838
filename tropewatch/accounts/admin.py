from django.contrib import admin

from .models import Invitation, Membership


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
