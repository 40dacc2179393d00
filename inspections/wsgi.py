"""WSGI entry point: ``gunicorn inspections.wsgi``."""

import gc
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspections.settings")

application = get_wsgi_application()
# What is loaded by now (Django, the apps, the admin) lives as long as the process: keep it out of the garbage
# collector's full collections, which otherwise walk all of it now and then during a page that allocates much (the
# admin's inspection page paused 100 to 200 ms in one request of five). Python's documentation suggests freezing
# for a pre-forking server such as gunicorn.
gc.freeze()

if not settings.DEBUG and not os.environ.get("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set: production (debug off, the default) needs a long random secret key in the "
        "environment (see docs/deploying.md). For local development set DJANGO_DEBUG=1, as `make run` does."
    )
