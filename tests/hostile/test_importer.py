"""Property-based: whatever file is given to ``import_report`` or uploaded in the admin, the answer is a draft
or a clear refusal that writes nothing; never an unhandled exception, never a server error.

(The importer's own functions get random and damaged reports in tests/inspections/importing/test_hostile_import.py.)
"""

import subprocess
import sys
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from inspections.models import ReportImport
from tests.conftest import ROOT
from tests.hostile.test_loader import row_counts
from tests.inspections.importing.conftest import seed_text

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

SEED_BYTES = seed_text("swindon-2015-06").encode("utf-8")
# Random bytes, random text, and a seed report cut short or with bytes of it overwritten.
HOSTILE_FILES = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=2000).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.integers(0, len(SEED_BYTES)).map(lambda end: SEED_BYTES[:end]),
    st.tuples(st.integers(0, len(SEED_BYTES) - 1), st.binary(min_size=1, max_size=200)).map(
        lambda damage: SEED_BYTES[: damage[0]] + damage[1] + SEED_BYTES[damage[0] + len(damage[1]) :]
    ),
)


@given(content=HOSTILE_FILES)
def test_import_report_drafts_or_refuses_any_file(frameworks, tmp_path_factory, content):
    path = tmp_path_factory.mktemp("import") / "report.txt"
    path.write_bytes(content)
    before = row_counts()
    try:
        call_command("import_report", str(path), "--output", str(path.with_suffix(".json")), stderr=StringIO())
    except CommandError as refused:
        assert str(refused).startswith(f"{path}: cannot be imported: ")
        assert not path.with_suffix(".json").exists()
    else:
        assert path.with_suffix(".json").read_text(encoding="utf-8").startswith("{")
    assert row_counts() == before


def test_import_report_exits_1_with_the_reason_on_an_unreadable_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"\x00\x01\x02binary\xff\xfe" * 10)
    finished = subprocess.run(
        [sys.executable, "manage.py", "import_report", str(path)], cwd=ROOT, capture_output=True, text=True
    )
    assert finished.returncode == 1
    assert finished.stdout == ""
    reason = "the file is binary, not text or a PDF: export the report as a PDF or plain text"
    assert finished.stderr.strip() == f"CommandError: {path}: cannot be imported: {reason}"


@given(content=HOSTILE_FILES, name=st.sampled_from(["report.txt", "report.pdf", "<script>.txt", "x" * 300]))
def test_admin_upload_reviews_or_refuses_any_file(client, frameworks, inspector, content, name):
    client.force_login(inspector)
    before = row_counts()
    response = client.post(reverse("admin:inspections_inspection_import"), {"file": SimpleUploadedFile(name, content)})
    if response.status_code == 302:  # read as a report: kept for review, nothing else written
        report_import = ReportImport.objects.latest("pk")
        assert response["Location"] == reverse("admin:inspections_inspection_import_review", args=[report_import.pk])
        assert row_counts() == {**before, "inspections.ReportImport": before["inspections.ReportImport"] + 1}
    else:
        assert response.status_code == 200
        assert response.context["form"].errors["file"]
        assert row_counts() == before
