from django.contrib import admin

from .models import MemberList, MembershipLook


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MemberList)
class MemberListAdmin(ReadOnlyAdmin):
    # Lists come from `tropewatch members import`; the digests themselves tell a reader nothing.
    list_display = ["org", "rows", "covers", "imported_at"]
    exclude = ["key_fingerprint"]


@admin.register(MembershipLook)
class MembershipLookAdmin(ReadOnlyAdmin):
    """The access log: who looked up whose membership, and what they were told."""

    list_display = ["created_at", "org", "actor_name", "actor_role", "author", "result",
                    "matched"]
    list_filter = ["org", "result"]
    search_fields = ["actor_name"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
