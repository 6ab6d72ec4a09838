from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("o/<slug:org_slug>/posts/<int:post_id>/report/", views.report_view, name="report"),
    path("o/<slug:org_slug>/posts/<int:post_id>/report/send/", views.send_view, name="send"),
    path("o/<slug:org_slug>/reporting/", views.settings_view, name="settings"),
]
