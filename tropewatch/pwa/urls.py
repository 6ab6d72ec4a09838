from django.urls import path

from . import views

app_name = "pwa"

urlpatterns = [
    path("manifest.webmanifest", views.manifest_view, name="manifest"),
    path("service-worker.js", views.service_worker_view, name="service_worker"),
    path("share/", views.share_view, name="share"),
]
