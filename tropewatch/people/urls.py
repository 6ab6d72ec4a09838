from django.urls import path

from . import privacy_views, views

app_name = "people"

urlpatterns = [
    path("o/<slug:org_slug>/authors/<int:author_id>/", views.author_view, name="author"),
    path("o/<slug:org_slug>/authors/<int:author_id>/link/", views.link_view, name="link"),
    path("o/<slug:org_slug>/authors/<int:author_id>/unlink/", views.unlink_view,
         name="unlink"),
    path("o/<slug:org_slug>/offenders/", views.offenders_view, name="offenders"),
    path("o/<slug:org_slug>/privacy/", privacy_views.privacy_view, name="privacy"),
    path("o/<slug:org_slug>/privacy/erase/", privacy_views.erase_view, name="erase"),
    path("o/<slug:org_slug>/privacy/purge/", privacy_views.purge_view, name="purge"),
]
