from django.urls import path

from . import answer_views, views

app_name = "allies"

urlpatterns = [
    path("o/<slug:org_slug>/allies/", views.allies_view, name="list"),
    path("o/<slug:org_slug>/allies/<int:ally_id>/", views.ally_edit_view, name="edit"),
    path("o/<slug:org_slug>/allies/<int:ally_id>/erase/", views.ally_erase_view, name="erase"),
    path("o/<slug:org_slug>/posts/<int:post_id>/call/", views.call_view, name="call"),
    # No organisation or login in these: allies have neither, the signed token is the key.
    path("allies/calls/<int:call_id>/<slug:answer>/<str:token>/", answer_views.answer_view,
         name="answer"),
    path("allies/unsubscribe/<str:token>/", answer_views.unsubscribe_view, name="unsubscribe"),
]
