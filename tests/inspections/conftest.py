"""Fixtures of the loader tests: the frameworks and the five reports, loaded once per test module.

Loading the five reports takes seconds; dozens of tests need them loaded and then check that a refused document
changed nothing. So they are loaded once per module inside an outer transaction, rolled back when the module
ends, and every test still runs in its own savepoint (pytest-django's ``db``): what one test writes is gone
before the next. A module that uses ``loaded_reports`` must mark every test ``django_db`` and use the fixture in
every test (``pytestmark``), or a test that expects an empty database would see the reports.
"""

import json

import pytest
from django.db import transaction

from inspections.services import LoadResult, reports_load
from ratings.services import frameworks_load
from tests.conftest import FIXTURES, REPORT_PATHS


@pytest.fixture(scope="module")
def loaded_reports(django_db_setup, django_db_blocker) -> list[LoadResult]:
    """The results of loading all five reports (after the frameworks) into an empty database."""
    with django_db_blocker.unblock(), transaction.atomic():
        frameworks_load(data=json.loads((FIXTURES / "frameworks.json").read_text()), source="frameworks.json")
        results = reports_load(paths=REPORT_PATHS)
        yield results
        transaction.set_rollback(True)
