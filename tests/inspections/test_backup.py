"""Backups as docs/deploying.md describes them: `export_reports` to a file, `load_reports` back, losing nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from inspections.models import Inspection, LocalAuthority, Service
from tests.conftest import draft_reinspection

pytestmark = pytest.mark.integration


def export() -> str:
    out = StringIO()
    call_command("export_reports", stdout=out)
    return out.getvalue()


def test_export_load_into_an_empty_database_export_is_byte_identical(reports, tmp_path):
    draft_reinspection()  # drafts are backed up too
    backup = tmp_path / "backup.json"
    backup.write_text(export(), encoding="utf-8")
    exported = backup.read_bytes()

    for model in (Inspection, Service, LocalAuthority):  # everything but the frameworks (reference data)
        model.objects.all().delete()
    assert Inspection.objects.count() == 0
    call_command("load_reports", str(backup), stdout=StringIO())

    assert Inspection.objects.count() == 6
    assert export().encode("utf-8") == exported
    assert exported.count(b'"status": "draft"') == 1
