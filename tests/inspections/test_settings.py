"""Production settings are the default: debug off, a secret required, HTTPS, headers, a CSP, login throttling."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD, ROOT

PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-production-secret-key-that-is-long-and-random-" + "k3y" * 10,
    "DJANGO_ALLOWED_HOSTS": "findings.example.gov.uk",
}


def run_python(code: list[str], **environment: str) -> subprocess.CompletedProcess:
    """Run Python in the project with only the given DJANGO_ variables (none of the test suite's own)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env |= {"DJANGO_SETTINGS_MODULE": "inspections.settings", **environment}
    return subprocess.run([sys.executable, *code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def setting(name: str, **environment: str) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print(repr(settings.{name}))"
    result = run_python(["-c", code], **environment)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.integration
def test_check_deploy_gives_no_warnings_with_production_variables():
    result = run_python(["-W", "error", "manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert (result.returncode, result.stdout.strip()) == (0, "System check identified no issues (0 silenced)."), (
        result.stderr
    )


@pytest.mark.integration
def test_check_deploy_flags_a_missing_secret_key():
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], DJANGO_ALLOWED_HOSTS="x.gov.uk")
    assert result.returncode == 1
    assert "security.W009" in result.stderr


@pytest.mark.integration
def test_the_wsgi_application_refuses_to_start_without_a_secret_key():
    refused = run_python(["-c", "import inspections.wsgi"])
    assert refused.returncode == 1
    assert (
        "django.core.exceptions.ImproperlyConfigured: DJANGO_SECRET_KEY is not set: production (debug off, the "
        "default) needs a long random secret key in the environment (see docs/deploying.md)."
    ) in refused.stderr
    assert run_python(["-c", "import inspections.wsgi"], **PRODUCTION).returncode == 0
    assert run_python(["-c", "import inspections.wsgi"], DJANGO_DEBUG="1").returncode == 0


@pytest.mark.integration
def test_the_wsgi_application_freezes_what_it_loaded_and_collects_garbage_less_often():
    script = (
        "import gc; print(gc.get_freeze_count()); import inspections.wsgi; print(gc.get_freeze_count()); "
        "print(*gc.get_threshold())"
    )
    result = run_python(["-c", script], **PRODUCTION)
    before, after, thresholds = result.stdout.splitlines()
    assert (int(before), int(after) > 10_000, thresholds) == (0, True, "20000 50 50")


@pytest.mark.integration
def test_the_wsgi_application_collects_the_last_requests_garbage_as_the_next_starts():
    script = """
import gc, weakref
import inspections.wsgi
from django.core.signals import request_started

class Node:
    pass

node = Node()
node.itself = node
alive = weakref.ref(node)
del node
print(alive() is not None)
request_started.send(sender=None)
print(alive() is None, gc.get_count()[0] < 100)
for _ in range(50):
    gc.collect(0)  # as fifty requests would
before = gc.get_count()
request_started.send(sender=None)
after = gc.get_count()
print(before[1] >= gc.get_threshold()[1], after[1], after[2] - before[2])
"""
    result = run_python(["-c", script], **PRODUCTION)
    assert result.stdout.splitlines() == ["True", "True True", "True 0 1"], result.stderr


@pytest.mark.unit
def test_debug_is_off_unless_asked_for():
    assert setting("DEBUG", **PRODUCTION) == "False"
    assert setting("DEBUG", DJANGO_DEBUG="0", **PRODUCTION) == "False"
    assert setting("DEBUG", DJANGO_DEBUG="1") == "True"


@pytest.mark.unit
def test_https_is_the_default_in_production_with_switches_for_a_proxy():
    assert setting("SECURE_SSL_REDIRECT", **PRODUCTION) == "True"
    assert setting("SECURE_SSL_REDIRECT", DJANGO_SECURE_SSL_REDIRECT="0", **PRODUCTION) == "False"
    assert setting("SECURE_SSL_REDIRECT", DJANGO_DEBUG="1") == "False"
    assert (
        setting("SECURE_PROXY_SSL_HEADER", DJANGO_BEHIND_PROXY="1", **PRODUCTION)
        == "('HTTP_X_FORWARDED_PROTO', 'https')"
    )
    assert setting("SECURE_PROXY_SSL_HEADER", **PRODUCTION) == "None"
    assert setting("SESSION_COOKIE_SECURE", **PRODUCTION) == "True"
    assert setting("CSRF_COOKIE_SECURE", **PRODUCTION) == "True"


@pytest.mark.integration
def test_pages_carry_the_security_headers_and_the_content_security_policy(client, db):
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "<script>" not in response.content.decode()  # nothing inline the policy would block


def post_login(client, password: str):
    return client.post(reverse("admin:login"), {"username": "inspector", "password": password, "next": "/admin/"})


@pytest.mark.integration
def test_five_failed_logins_lock_the_account_for_fifteen_minutes(client, inspector):
    for _ in range(4):
        assert post_login(client, "wrong-password").status_code == 200  # the form again, with its error
    locked = post_login(client, "wrong-password")
    assert locked.status_code == 429
    # Locked: even the right password is refused, and nobody is logged in.
    refused = post_login(client, PASSWORD)
    assert refused.status_code == 429
    assert client.get("/admin/").status_code == 302

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert post_login(client, PASSWORD)["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
