from django.urls import path

from . import views
from .endpoints import api

app_name = "api"

urlpatterns = [
    path("o/<slug:org_slug>/api-tokens/", views.tokens_view, name="tokens"),
    path("o/<slug:org_slug>/api-tokens/<int:token_id>/revoke/", views.revoke_view,
         name="revoke"),
]
# Outside the "api" namespace: ninja names its own (api_v1).
api_urls = [path("api/v1/", api.urls)]
