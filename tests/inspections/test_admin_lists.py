"""The admin lists at national scale (inspections/admin_lists.py and the lists of inspections/admin.py): a page read
by its ids shows the rows Django's own paging shows."""

import pytest
from django.urls import reverse

from findings.admin import FindingAdmin, RecommendationAdmin
from inspections.admin import InspectionAdmin
from inspections.models import Inspection, KeyFact
from tests.conftest import draft_reinspection

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.usefixtures("loaded_reports")]
INSPECTIONS = reverse("admin:inspections_inspection_changelist")
RECOMMENDATIONS = reverse("admin:findings_recommendation_changelist")
FINDINGS = reverse("admin:findings_finding_changelist")


def listed(response) -> list[int]:
    return [row.pk for row in response.context["cl"].result_list]


@pytest.fixture
def draft(db) -> Inspection:
    """A draft without a publication date (it sorts among the undated) and with a measure no report gives."""
    inspection = draft_reinspection()
    KeyFact.objects.filter(inspection=inspection, measure="reoffending_rate").update(measure="draft_only_measure")
    return inspection


@pytest.mark.parametrize(
    ("admin_class", "url", "orders"),
    [
        # The inspections list's sorts: report name, date, rating, lead inspector, each way, and its own order.
        (InspectionAdmin, INSPECTIONS, ["", "1", "-1", "2", "-2", "5", "-5", "6", "-6", "2.1"]),
        (RecommendationAdmin, RECOMMENDATIONS, ["", "2", "-2"]),
        (FindingAdmin, FINDINGS, ["", "2"]),
    ],
)
def test_a_page_read_by_its_ids_is_the_page_django_shows(
    client, inspector, draft, monkeypatch, admin_class, url, orders
):
    # Three rows a page, so that five reports and a draft make several pages.
    monkeypatch.setattr(admin_class, "list_per_page", 3)
    client.force_login(inspector)
    for order in orders:
        first = client.get(url, {"o": order} if order else {})
        everything = list(first.context["cl"].queryset.values_list("pk", flat=True))  # the list, in Django's order
        pages = first.context["cl"].paginator.num_pages
        assert pages >= 2
        for page in range(1, pages + 1):
            response = client.get(url, {"o": order, "p": page} if order else {"p": page})
            assert listed(response) == everything[(page - 1) * 3 : page * 3], (order, page)


def test_the_inspections_list_sorts_only_by_what_an_index_reads_in_order(client, inspector):
    client.force_login(inspector)
    html = client.get(INSPECTIONS).content.decode()
    for column in ["service_name", "when", "overall", "lead_inspector"]:
        assert f'class="sortable column-{column}"' in html
    # Framework and status: two or three values, chosen by the filters.
    for column in ["framework", "status"]:
        assert f'<th scope="col" class="column-{column}">' in html
