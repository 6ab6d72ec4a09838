"""The WSGI application that gunicorn serves: ``gunicorn tropewatch.web.wsgi``."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from tropewatch.web.env import check_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tropewatch.web.settings")

# Fail at start-up, not on the first login: sessions and CSRF tokens are signed with this key,
# and a short one can be guessed offline from any signed cookie.
if not settings.DEBUG:
    check_secret_key(os.environ.get("SECRET_KEY", ""))

application = get_wsgi_application()
