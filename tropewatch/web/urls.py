"""URLs. Until the review console exists, the Django admin is the place to look at data."""

from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "tropewatch"
admin.site.site_title = "tropewatch"
admin.site.index_title = "Imported posts and their detections"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
