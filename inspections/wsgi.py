"""WSGI entry point: ``gunicorn inspections.wsgi``."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspections.settings")

application = get_wsgi_application()

if not settings.DEBUG and not os.environ.get("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set: production (debug off, the default) needs a long random secret key in the "
        "environment (see docs/deploying.md). For local development set DJANGO_DEBUG=1, as `make run` does."
    )
