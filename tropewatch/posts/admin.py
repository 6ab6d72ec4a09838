"""Admin pages to look at imported data. Read-only: imports write it, the review console
(a later part) acts on it. Deleting stays possible, for erasure requests."""

from django.contrib import admin

from .models import Author, Detection, Post, Source


class ReadOnlyAdmin(admin.ModelAdmin):
    # Counting millions of rows on every list page is slow and tells a reviewer nothing.
    show_full_result_count = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "platform", "kind", "org", "url"]
    list_filter = ["org", "platform", "kind"]
    search_fields = ["name", "url"]


@admin.register(Author)
class AuthorAdmin(ReadOnlyAdmin):
    list_display = ["handle", "display_name", "platform", "platform_id", "org"]
    list_filter = ["org", "platform"]
    search_fields = ["handle", "display_name", "platform_id"]


class DetectionInline(admin.TabularInline):
    model = Detection
    fields = ["policy", "model_version", "antisemitic", "score", "counter_speech", "explanation"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["platform_id", "platform", "author", "created_at", "short_text", "org"]
    list_filter = ["org", "platform", "source"]
    list_select_related = ["author", "org"]
    search_fields = ["platform_id", "text"]
    date_hierarchy = "created_at"
    inlines = [DetectionInline]

    @admin.display(description="text")
    def short_text(self, post: Post) -> str:
        return post.text if len(post.text) <= 120 else post.text[:119] + "…"


@admin.register(Detection)
class DetectionAdmin(ReadOnlyAdmin):
    list_display = ["post", "antisemitic", "score", "policy", "model_version", "created_at"]
    list_filter = ["org", "antisemitic", "policy", "model_version"]
    list_select_related = ["post"]
    ordering = ["-score"]
