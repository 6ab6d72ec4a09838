"""The Celery app that workers (``tropewatch worker``) run.

Its configuration is the ``CELERY_*`` part of the Django settings; tasks are found in each
app's ``tasks.py``.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tropewatch.web.settings")

app = Celery("tropewatch")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
