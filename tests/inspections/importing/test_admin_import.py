"""The admin's import workflow: upload, review beside the source lines, the differences before a replace, save.

Inspectors only: analysts and managers are refused (403), anonymous users sent to log in.
"""

import copy
import hashlib
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections.importing import import_report_text
from inspections.models import Inspection, InspectionStatus, ReportImport
from inspections.services import documents_load
from tests.conftest import MODELS
from tests.inspections.importing.conftest import image_only_pdf, report_pdf, seed_text

pytestmark = pytest.mark.integration

SEED = "swindon-2015-06"


def upload_url() -> str:
    return reverse("admin:inspections_inspection_import")


def review_url(report_import: ReportImport) -> str:
    return reverse("admin:inspections_inspection_import_review", args=[report_import.pk])


def upload(client, content: bytes, name: str = "swindon.txt", **fields):
    return client.post(upload_url(), {"file": SimpleUploadedFile(name, content), **fields})


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in [*MODELS, ReportImport]}


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[tuple[str, ...]]] = {}
        self._table = self._row = self._cell = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = dict(attrs).get("id")
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(tuple(self._row))
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table_rows(response, table_id: str) -> list[tuple[str, ...]]:
    """A table's body rows as the page shows them (text of each cell), by the table's id."""
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.tables[table_id][1:]  # without the header row


@pytest.fixture
def swindon_text() -> bytes:
    return seed_text(SEED).encode("utf-8")


def test_changelist_links_to_the_import_for_inspectors_only(client, frameworks, inspector, analyst):
    changelist = reverse("admin:inspections_inspection_changelist")
    client.force_login(inspector)
    assert f'<a href="{upload_url()}" class="addlink">Import a report</a>' in client.get(changelist).content.decode()
    client.force_login(analyst)
    assert "Import a report" not in client.get(changelist).content.decode()


@pytest.mark.parametrize("role", ["analyst", "manager"])
def test_other_roles_are_refused_every_step(client, frameworks, inspector, role, request, swindon_text):
    client.force_login(inspector)
    report_import = ReportImport.objects.get(pk=upload(client, swindon_text, nation="England").url.split("/")[-2])
    client.force_login(request.getfixturevalue(role))
    before = row_counts()
    assert client.get(upload_url()).status_code == 403
    assert upload(client, swindon_text, nation="England").status_code == 403
    assert client.get(review_url(report_import)).status_code == 403
    assert client.post(review_url(report_import)).status_code == 403
    assert row_counts() == before
    # Imports hold drafts: the audit list is for those who may see drafts.
    assert client.get(reverse("admin:inspections_reportimport_changelist")).status_code == 403


def test_anonymous_is_sent_to_log_in(client, frameworks):
    response = client.get(upload_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_upload_keeps_the_import_and_shows_each_value_beside_its_source_line(
    client, frameworks, inspector, swindon_text
):
    client.force_login(inspector)
    assert 'enctype="multipart/form-data"' in client.get(upload_url()).content.decode()
    response = upload(client, swindon_text, nation="England")
    report_import = ReportImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == review_url(report_import)

    expected = import_report_text(seed_text(SEED), nation="England")
    assert report_import.file_name == "swindon.txt"
    assert report_import.sha256 == hashlib.sha256(swindon_text).hexdigest()
    assert report_import.uploaded_by == inspector
    assert report_import.format == "fji-2015"
    assert report_import.source_text == seed_text(SEED)
    assert report_import.document == expected.document
    assert report_import.document["status"] == "draft"
    assert report_import.sources == {path: [line.number, line.text] for path, line in expected.sources.items()}
    assert report_import.problems == [
        {
            "field": problem.field,
            "reason": problem.reason,
            "line": problem.source.number if problem.source else None,
            "text": problem.source.text if problem.source else None,
        }
        for problem in expected.problems
    ]
    assert report_import.inspection is None

    page = client.get(review_url(report_import))
    assert page.status_code == 200
    values = table_rows(page, "import-values")
    rating_line = expected.sources["judgements/1/rating"]
    assert ("judgements/1/rating", "Satisfactory", str(rating_line.number), rating_line.text) in values
    assert len(values) == len(expected.sources)
    assert table_rows(page, "import-problems") == [
        (
            problem.field,
            problem.reason,
            str(problem.source.number) if problem.source else "",
            problem.source.text if problem.source else "",
        )
        for problem in expected.problems
    ]
    assert "import-differences" not in page.content.decode()
    assert 'value="Save as a draft inspection"' in page.content.decode()


def test_save_creates_a_draft_audited_as_this_import_and_opens_its_page(client, frameworks, inspector, swindon_text):
    client.force_login(inspector)
    report_import = ReportImport.objects.get(pk=upload(client, swindon_text, nation="England").url.split("/")[-2])
    response = client.post(review_url(report_import))
    inspection = Inspection.objects.get(service__slug="swindon")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:inspections_inspection_change", args=[inspection.pk])
    assert inspection.status == InspectionStatus.DRAFT
    [record] = inspection.history.all()
    assert (record.history_change_reason, record.history_user) == ("admin import swindon.txt", inspector)
    report_import.refresh_from_db()
    assert report_import.inspection == inspection

    page = client.get(response["Location"])
    assert (
        f"Saved {inspection} as a draft from swindon.txt. Correct it here, then publish it from the list with the "
        "action &#x27;Publish the selected inspections&#x27;."
    ) in page.content.decode()
    # The import's page now says what it became, and offers no second save; posting again does not load twice.
    saved_page = client.get(review_url(report_import)).content.decode()
    change_url = reverse("admin:inspections_inspection_change", args=[inspection.pk])
    assert f'<p id="import-saved">Saved as <a href="{change_url}">{inspection}</a>.</p>' in saved_page
    assert 'id="import-save"' not in saved_page
    again = client.post(review_url(report_import))
    assert again["Location"] == response["Location"]
    assert inspection.history.count() == 1


def test_pdf_upload_reads_as_the_text_does(client, frameworks, inspector):
    client.force_login(inspector)
    response = upload(client, report_pdf(seed_text(SEED)), name="swindon.pdf", nation="England")
    assert response.status_code == 302
    report_import = ReportImport.objects.get()
    assert report_import.format == "fji-2015"
    expected = import_report_text(seed_text(SEED), nation="England").document
    assert report_import.document["judgements"] == expected["judgements"]
    assert report_import.document["recommendations"] == expected["recommendations"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (
            b"\x00\x01\x02\x03binary\x00\xff\xfe" * 20,
            "bad.txt cannot be imported: the file is binary, not text or a PDF",
        ),
        (
            b"Minutes of the Youth Offending Service Management Board\nItem 1: budget\n",
            "bad.txt cannot be imported: this is not an HMIP youth inspection report in a format the importer reads",
        ),
        (image_only_pdf(), "bad.txt cannot be imported: the PDF has no text layer"),
    ],
)
def test_a_bad_file_is_refused_on_the_upload_page_and_nothing_kept(client, frameworks, inspector, content, message):
    client.force_login(inspector)
    before = row_counts()
    response = upload(client, content, name="bad.txt")
    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    assert error.startswith(message)
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert row_counts() == before


def test_a_draft_the_loader_refuses_is_shown_as_blocking_and_not_saved(client, frameworks, inspector, swindon_text):
    client.force_login(inspector)
    report_import = ReportImport.objects.get(pk=upload(client, swindon_text).url.split("/")[-2])
    page = client.get(review_url(report_import))
    assert table_rows(page, "import-blocking") == [
        ("service/nation", "null is not a known nation (one of: England, Wales)")
    ]
    assert "Save as a draft inspection" not in page.content.decode()
    before = row_counts()
    refused = client.post(review_url(report_import))
    assert refused.status_code == 400
    assert "The draft cannot be saved until the problems listed as blocking are corrected." in refused.content.decode()
    assert row_counts() == before


def test_replacing_a_stored_inspection_shows_the_differences_and_needs_confirming(
    client, frameworks, inspector, swindon_text
):
    draft = import_report_text(seed_text(SEED), nation="England").document
    stored = copy.deepcopy(draft)
    stored["status"] = "published"
    stored["lead_inspector"] = "A N Other"
    [first] = [judgement for judgement in stored["judgements"] if judgement["code"] == "1"]
    first["rating"] = "Good"
    [second] = [recommendation for recommendation in stored["recommendations"] if recommendation["number"] == 2]
    second["addressee"] = "The YOT Management Board"
    stored["findings"][0]["text"] = "A finding as it was stored."
    [loaded] = documents_load(documents=[("stored.json", stored)])
    inspection = loaded.inspection

    client.force_login(inspector)
    report_import = ReportImport.objects.get(pk=upload(client, swindon_text).url.split("/")[-2])
    page = client.get(review_url(report_import))
    assert table_rows(page, "import-differences") == [
        ("status", "published", "draft"),
        ("lead_inspector", "A N Other", draft["lead_inspector"]),
        ("judgements/1/rating", "Good", first_rating(draft)),
        ("recommendations/2/addressee", "The YOT Management Board", addressee(draft, 2)),
        ("findings/0/text", "A finding as it was stored.", draft["findings"][0]["text"]),
    ]
    html = page.content.decode()
    assert f'Saving replaces <a href="{reverse("admin:inspections_inspection_change", args=[inspection.pk])}">' in html
    version = page.context["review"].stored_version

    unconfirmed = client.post(review_url(report_import), {"stored_version": version})
    assert unconfirmed.status_code == 400
    assert (
        "Tick the box to confirm that the stored inspection is to be replaced by this draft."
        in unconfirmed.content.decode()
    )
    stale = client.post(review_url(report_import), {"stored_version": "0" * 64, "confirm_replace": "yes"})
    assert stale.status_code == 400
    assert "The stored inspection has changed since this page was shown" in stale.content.decode()
    inspection.refresh_from_db()
    assert (inspection.status, inspection.lead_inspector) == (InspectionStatus.PUBLISHED, "A N Other")

    confirmed = client.post(review_url(report_import), {"stored_version": version, "confirm_replace": "yes"})
    assert confirmed["Location"] == reverse("admin:inspections_inspection_change", args=[inspection.pk])
    inspection.refresh_from_db()
    assert (inspection.status, inspection.lead_inspector) == (InspectionStatus.DRAFT, draft["lead_inspector"])
    assert inspection.history.first().history_change_reason == "admin import swindon.txt"


def test_imports_are_listed_read_only_for_inspectors(client, frameworks, inspector, swindon_text):
    client.force_login(inspector)
    report_import = ReportImport.objects.get(pk=upload(client, swindon_text, nation="England").url.split("/")[-2])
    listing = client.get(reverse("admin:inspections_reportimport_changelist"))
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [report_import]
    detail = client.get(reverse("admin:inspections_reportimport_change", args=[report_import.pk]))
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
    assert client.get(reverse("admin:inspections_reportimport_add")).status_code == 403
    delete = reverse("admin:inspections_reportimport_delete", args=[report_import.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ReportImport.objects.count() == 1


def first_rating(document) -> str:
    return next(judgement["rating"] for judgement in document["judgements"] if judgement["code"] == "1")


def addressee(document, number: int) -> str:
    return next(item["addressee"] for item in document["recommendations"] if item["number"] == number)


def test_an_upload_without_a_file_asks_for_one(client, frameworks, inspector):
    client.force_login(inspector)
    response = client.post(upload_url(), {"nation": "England"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["This field is required."]}
    assert ReportImport.objects.count() == 0
