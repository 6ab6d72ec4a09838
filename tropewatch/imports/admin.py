from django.contrib import admin

from .models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Read-only: runs are created by ``tropewatch import`` and the workers."""

    list_display = [
        "id", "org", "source", "input_path", "status", "records_committed",
        "new_count", "updated_count", "skipped_count", "skip_reasons",
        "error_count", "message", "created_at",
    ]
    list_filter = ["org", "status", "platform"]
    list_select_related = ["org", "source"]
    search_fields = ["input_path", "file_sha256"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
