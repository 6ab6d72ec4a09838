from django.urls import path

from . import views

app_name = "clusters"

urlpatterns = [
    path("o/<slug:org_slug>/clusters/<int:cluster_id>/", views.cluster_view, name="cluster"),
    path("o/<slug:org_slug>/clusters/<int:cluster_id>/decide/", views.decide_view,
         name="decide"),
    path("o/<slug:org_slug>/clusters/<int:cluster_id>/posts/<int:post_id>/split/",
         views.split_view, name="split"),
]
