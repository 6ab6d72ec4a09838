from django.urls import path

from . import replies_views, views

app_name = "education"

urlpatterns = [
    path("o/<slug:org_slug>/learn/", views.index_view, name="index"),
    path("o/<slug:org_slug>/learn/<slug:category_id>/", views.category_view, name="category"),
    path("o/<slug:org_slug>/posts/<int:post_id>/replies/", replies_views.replies_view,
         name="replies"),
    path("o/<slug:org_slug>/posts/<int:post_id>/replies/approve/", replies_views.approve_view,
         name="approve"),
    path("o/<slug:org_slug>/posts/<int:post_id>/replies/<int:approval_id>/posted/",
         replies_views.posted_view, name="posted"),
]
