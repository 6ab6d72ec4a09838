"""The WSGI application that gunicorn serves: ``gunicorn tropewatch.web.wsgi``."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tropewatch.web.settings")

# Fail at start-up, not on the first login: sessions and CSRF tokens are signed with this key.
if not settings.DEBUG and not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: a web server needs a long random secret, e.g. "
        "SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))')"
    )

application = get_wsgi_application()
