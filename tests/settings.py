"""The test suite runs the production settings (debug off, HSTS, secure cookies, the content security policy,
login throttling), with a key of its own and without the redirect to HTTPS, which the test client and the live
server do not speak.

Set in the environment before the settings are read: pytest-django reads them before any conftest is imported.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

from inspections.settings import *  # noqa: E402, F403
