"""The Django project: settings, URLs, the WSGI entry point and the Celery app."""
