from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("o/<slug:org_slug>/authors/<int:author_id>/", views.author_view, name="author"),
    path("o/<slug:org_slug>/authors/<int:author_id>/link/", views.link_view, name="link"),
    path("o/<slug:org_slug>/authors/<int:author_id>/unlink/", views.unlink_view,
         name="unlink"),
    path("o/<slug:org_slug>/offenders/", views.offenders_view, name="offenders"),
]
