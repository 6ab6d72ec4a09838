from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("o/<slug:org_slug>/posts/<int:post_id>/membership/", views.author_membership_view,
         name="author_membership"),
    path("o/<slug:org_slug>/membership/looks/", views.membership_looks_view, name="looks"),
]
