"""Shared fixtures: the real reference data and reports, and the fixed cast of users.

Every permission test has someone to refuse: inspector (edits, sees drafts), analyst and manager (read only),
staff administrator (manages users, reads published data), superuser, and anonymous.
"""

import json
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from hypothesis import HealthCheck, settings

from findings.models import Finding, Recommendation
from inspections.models import Inspection, InspectionArea, KeyFact, LocalAuthority, Service
from inspections.roles import ANALYST, INSPECTOR, MANAGER, STAFF_ADMINISTRATOR
from inspections.services import LoadResult, documents_load, reports_load
from ratings.models import Judgement, KeyQuestionScore
from ratings.selectors import framework_catalogues_forget
from ratings.services import frameworks_load

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
REPORT_PATHS = sorted((FIXTURES / "reports").glob("*.json"))
PASSWORD = "a-test-password-0123"
# Every table an inspection document writes to: tests count their rows to show a refused load wrote nothing.
MODELS = [
    Service,
    LocalAuthority,
    Inspection,
    InspectionArea,
    Judgement,
    KeyQuestionScore,
    Recommendation,
    Finding,
    KeyFact,
]
# Property-based tests: the same examples on every CI run (derandomised, no example database) and few enough to
# keep the suite fast; locally more, and random, to find new failures. No deadline: a shared machine is slow.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev",
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
SLUGS = ["bromley", "northamptonshire", "swindon", "warwickshire", "western-bay"]


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


@pytest.fixture(autouse=True)
def fresh_framework_catalogues():
    """Each test reads frameworks afresh: a rolled-back test's rows may come back with the same ids (SQLite)."""
    framework_catalogues_forget()
    yield
    framework_catalogues_forget()


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


@pytest.fixture
def staff_administrator(db, django_user_model):
    return _user(django_user_model, "administrator", STAFF_ADMINISTRATOR)


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser(username="superuser", password=PASSWORD)


# Words that appear only in the draft below: a page, search or export showing them shows the draft.
DRAFT_MARKER = "Unpublishedfinding"


def draft_reinspection() -> Inspection:
    """A draft re-inspection of Warwickshire (fieldwork November 2021, not yet published), after the reports.

    It carries a finding, a recommendation and a key fact no published report has (``DRAFT_MARKER``).
    """
    document = report_document("warwickshire")
    document.update(status="draft", published=None, fieldwork_start="2021-11")
    document["findings"].append({"kind": "strength", "standard": "1.1", "text": f"{DRAFT_MARKER}: a new strength."})
    document["recommendations"].append(
        {"number": 5, "addressee": "The Chief Officers Board", "text": f"{DRAFT_MARKER}: a new recommendation"}
    )
    document["key_facts"].append(
        {
            "measure": "reoffending_rate",
            "value": 12.5,
            "unit": "%",
            "comparator": None,
            "comparator_value": None,
            "period": f"{DRAFT_MARKER} period",
            "source": None,
        }
    )
    [result] = documents_load(documents=[("test draft re-inspection of warwickshire", document)])
    return result.inspection


@pytest.fixture(scope="module")
def loaded_reports(django_db_setup, django_db_blocker) -> list[LoadResult]:
    """The results of loading all five reports (after the frameworks), once per test module.

    Loading takes seconds; read-mostly modules load once inside an outer transaction, rolled back when the
    module ends, and every test still runs in its own savepoint (pytest-django's ``db``): what one test writes
    is gone before the next. A module using it marks every test ``django_db`` and uses the fixture in every test
    (``pytestmark``), or a test expecting an empty database would see the reports.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        frameworks_load(data=json.loads((FIXTURES / "frameworks.json").read_text()), source="frameworks.json")
        results = reports_load(paths=REPORT_PATHS)
        yield results
        transaction.set_rollback(True)
