"""WSGI entry point: ``gunicorn inspections.wsgi``."""

import gc
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import request_started
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspections.settings")

application = get_wsgi_application()

# The garbage collector, for a web worker. What is loaded by now (Django, the apps, the admin) lives as long as the
# process: frozen, full collections no longer walk it (Python's documentation suggests this for a pre-forking
# server such as gunicorn). And collections come less often: a page that builds many forms (the admin's
# inspection page) kept its short-lived objects alive across young collections, which pushed them into the old
# generation and set off a full collection every few requests (100 to 200 ms). Measured on that page at national
# scale: p95 from about 240 to 140 ms, p50 unchanged. The request's garbage is still collected young.
GARBAGE_COLLECTOR_THRESHOLDS = (20_000, 50, 50)
gc.freeze()
gc.set_threshold(*GARBAGE_COLLECTOR_THRESHOLDS)


def collect_garbage_between_requests(**kwargs) -> None:
    """Collect the last request's garbage as the next one starts (``request_started``), not in the middle of it.

    A page leaves reference cycles behind (a form and its bound fields, a formset and its forms): only the
    collector frees them, and it ran when enough had piled up, in the middle of a later request, walking that
    request's live objects too: 7 ms on the admin inspection page, one request in five (its p95). By the time the
    next request starts, the last one's objects are all unreachable, so the young generation holds little but
    garbage: under a millisecond. (Collected when a response has been sent, ``request_finished``, the request's
    objects were still alive, and each collection moved them into the middle generation, whose collection then
    took 130 ms every fifty requests.) The generations follow Python's own schedule (a middle collection after
    ``threshold[1]`` young ones, a full one after ``threshold[2]`` middle ones); the automatic collector stays on
    for a request that allocates a great deal."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    if counts[2] >= thresholds[2]:
        gc.collect(2)
    elif counts[1] >= thresholds[1]:
        gc.collect(1)
    else:
        gc.collect(0)


request_started.connect(collect_garbage_between_requests, dispatch_uid="collect_garbage_between_requests")

if not settings.DEBUG and not os.environ.get("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set: production (debug off, the default) needs a long random secret key in the "
        "environment (see docs/deploying.md). For local development set DJANGO_DEBUG=1, as `make run` does."
    )
