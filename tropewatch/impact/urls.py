from django.urls import path, re_path

from . import views

app_name = "impact"

urlpatterns = [
    path("o/<slug:org_slug>/dashboard/", views.dashboard_view, name="dashboard"),
    path("o/<slug:org_slug>/dashboard/weekly.pdf", views.weekly_pdf_view, name="weekly"),
    re_path(r"^o/(?P<org_slug>[-\w]+)/dashboard/(?P<slug>[a-z-]+)\.(?P<fmt>csv|svg)$",
            views.chart_download_view, name="download"),
]
