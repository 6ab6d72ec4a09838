"""URLs: the review console at the root, accounts beside it, the Django admin under /admin/."""

from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from tropewatch.api.urls import api_urls

# The admin shows every organisation's posts and authors: personal data, so it asks for a
# verified second factor like the console does (django-otp's documented way to do this).
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "tropewatch"
admin.site.site_title = "tropewatch"
admin.site.index_title = "Imported posts and their detections"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("tropewatch.accounts.urls")),
    path("", include("tropewatch.review.urls")),
    path("", include("tropewatch.clusters.urls")),
    path("", include("tropewatch.cases.urls")),
    path("", include("tropewatch.people.urls")),
    path("", include("tropewatch.members.urls")),
    path("", include("tropewatch.reports.urls")),
    path("", include("tropewatch.impact.urls")),
    path("", include("tropewatch.submissions.urls")),
    path("", include("tropewatch.pwa.urls")),
    path("", include("tropewatch.api.urls")),
    *api_urls,
    path("", include("tropewatch.education.urls")),
    path("", include("tropewatch.allies.urls")),
]
