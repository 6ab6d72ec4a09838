from django.db import migrations
from django.db.models import F


def clear_superseded(apps, schema_editor):
    """Detections of text their post no longer has lose their queue priority: the queue no
    longer compares each one's hash with its post's, so the stored value must say it."""
    Detection = apps.get_model("posts", "Detection")
    (Detection.objects.filter(priority__isnull=False)
     .exclude(content_sha256=F("post__content_sha256")).update(priority=None))


class Migration(migrations.Migration):
    dependencies = [("posts", "0006_detection_priority")]

    operations = [migrations.RunPython(clear_superseded, migrations.RunPython.noop)]
