from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("o/<slug:org_slug>/cases/", views.case_list_view, name="list"),
    path("o/<slug:org_slug>/cases/<int:case_id>/", views.case_view, name="case"),
    path("o/<slug:org_slug>/cases/<int:case_id>/act/", views.act_view, name="act"),
    path("o/<slug:org_slug>/cases/<int:case_id>/file.pdf", views.case_file_view, name="file"),
    path("o/<slug:org_slug>/cases/<int:case_id>/evidence.zip", views.case_evidence_view,
         name="evidence"),
    path("o/<slug:org_slug>/posts/<int:post_id>/case/", views.open_case_view, name="open"),
]
