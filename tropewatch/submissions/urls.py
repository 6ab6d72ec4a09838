from django.urls import path

from . import views

app_name = "submissions"

urlpatterns = [
    path("o/<slug:org_slug>/submit/", views.submit_view, name="submit"),
    path("o/<slug:org_slug>/submit/sent/<int:submission_id>/", views.sent_view, name="sent"),
    path("o/<slug:org_slug>/submissions/", views.mine_view, name="mine"),
    path("o/<slug:org_slug>/submissions/<int:post_id>/", views.submission_view, name="item"),
    path("o/<slug:org_slug>/screenshots/<int:submission_id>/", views.screenshot_view,
         name="screenshot"),
]
