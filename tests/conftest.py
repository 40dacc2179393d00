"""Shared fixtures: the real reference data and reports, and the fixed cast of users.

Every permission test has someone to refuse: inspector (edits, sees drafts), analyst and manager (read only),
and anonymous.
"""

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from inspections.roles import ANALYST, INSPECTOR, MANAGER
from inspections.services import reports_load
from ratings.services import frameworks_load

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
REPORT_PATHS = sorted((FIXTURES / "reports").glob("*.json"))
PASSWORD = "a-test-password-0123"


def report_path(slug: str) -> Path:
    """The fixture file of a service's report, by service slug."""
    [path] = [p for p in REPORT_PATHS if json.loads(p.read_text())["service"]["slug"] == slug]
    return path


def report_document(slug: str) -> dict:
    return json.loads(report_path(slug).read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Serve static files from the apps, as `make run` does: tests don't run `collectstatic`."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def frameworks(db):
    """The three frameworks of fixtures/frameworks.json, loaded."""
    frameworks_load(data=json.loads((FIXTURES / "frameworks.json").read_text()), source="frameworks.json")


@pytest.fixture
def reports(frameworks):
    """All five seed reports, loaded."""
    return reports_load(paths=REPORT_PATHS)


def _user(django_user_model, username: str, group: str | None, *, staff: bool = True):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD, is_staff=staff)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def inspector(db, django_user_model):
    return _user(django_user_model, "inspector", INSPECTOR)


@pytest.fixture
def analyst(db, django_user_model):
    return _user(django_user_model, "analyst", ANALYST)


@pytest.fixture
def manager(db, django_user_model):
    return _user(django_user_model, "manager", MANAGER)
