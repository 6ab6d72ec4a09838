from django.urls import path

from .views import audit, bulk, item, queue

app_name = "review"

urlpatterns = [
    path("", queue.home, name="home"),
    path("o/<slug:org_slug>/queue/", queue.queue_view, name="queue"),
    path("o/<slug:org_slug>/queue/next/", queue.next_view, name="next"),
    path("o/<slug:org_slug>/queue/bulk/", queue.bulk_view, name="bulk"),
    path("o/<slug:org_slug>/queue/undo/", bulk.undo_view, name="undo"),
    path("o/<slug:org_slug>/posts/<int:post_id>/", item.item_view, name="item"),
    path("o/<slug:org_slug>/posts/<int:post_id>/decide/", item.decide_view, name="decide"),
    path("o/<slug:org_slug>/posts/<int:post_id>/notes/", item.note_view, name="note"),
    path("o/<slug:org_slug>/posts/<int:post_id>/skip/", item.skip_view, name="skip"),
    path("o/<slug:org_slug>/posts/<int:post_id>/images/", item.images_view, name="images"),
    path("o/<slug:org_slug>/posts/<int:post_id>/evidence.zip", item.evidence_view,
         name="evidence"),
    path("o/<slug:org_slug>/audit/", audit.audit_view, name="audit"),
    path("o/<slug:org_slug>/audit.csv", audit.audit_csv_view, name="audit_csv"),
]
