from django.urls import path

from . import views

app_name = "education"

urlpatterns = [
    path("o/<slug:org_slug>/learn/", views.index_view, name="index"),
    path("o/<slug:org_slug>/learn/<slug:category_id>/", views.category_view, name="category"),
]
