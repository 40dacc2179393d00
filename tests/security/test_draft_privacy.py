"""A draft is invisible to everyone but inspectors: pages, search, exports, counts, charts, compare, the admin.

The strongest check: for anyone who may not see drafts, every public page and export is byte for byte what it is
when the draft does not exist at all. Inspectors, who may, do see it (so the checks can fail).
"""

import pytest
from django.urls import reverse

from findings.models import Finding, Recommendation
from inspections.models import Inspection, InspectionStatus, KeyFact
from tests.conftest import DRAFT_MARKER

# The draft finding's words after the marker (a search may highlight the marker itself).
DRAFT_TEXT = "a new strength."

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.usefixtures("reports_and_draft")]

PUBLIC_PAGES = [
    "/",
    "/services/",
    "/services/?format=csv",
    "/services/?format=json",
    "/services/?q=warwickshire",
    "/services/warwickshire/",
    "/services/warwickshire/?format=json",
    f"/findings/?q={DRAFT_MARKER}",
    "/findings/?q=Warwickshire",
    "/findings/?q=strength",
    "/compare/?services=warwickshire&services=bromley",
]
ADMIN_LISTS = [
    ("admin:inspections_inspection_changelist", ""),
    ("admin:inspections_inspection_changelist", "?q=warwickshire"),
    ("admin:findings_finding_changelist", f"?q={DRAFT_MARKER}"),
    ("admin:findings_finding_changelist", ""),
    ("admin:findings_recommendation_changelist", f"?q={DRAFT_MARKER}"),
    ("admin:inspections_keyfact_changelist", ""),
]


def pages(client, paths: list[str]) -> dict[str, str]:
    responses = {path: client.get(path) for path in paths}
    assert {path: response.status_code for path, response in responses.items()} == dict.fromkeys(paths, 200)
    return {path: body(response) for path, response in responses.items()}


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def admin_list_counts(client) -> dict[str, int]:
    counts = {}
    for name, query in ADMIN_LISTS:
        response = client.get(reverse(name) + query)
        assert DRAFT_TEXT not in response.content.decode()
        counts[name + query] = response.context["cl"].result_count
    return counts


def delete_draft(draft_id: int) -> None:
    Inspection.objects.get(pk=draft_id).delete()


@pytest.mark.parametrize("role", ["anonymous", "analyst", "manager", "staff_administrator"])
def test_public_pages_and_exports_are_exactly_as_without_the_draft(client, request, reports_and_draft, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    with_draft = pages(client, PUBLIC_PAGES)
    delete_draft(reports_and_draft["draft"])
    without_draft = pages(client, PUBLIC_PAGES)
    assert with_draft == without_draft
    assert [path for path, html in with_draft.items() if DRAFT_TEXT in html] == []
    assert [path for path, html in with_draft.items() if DRAFT_MARKER in html and DRAFT_MARKER not in path] == []
    assert "November 2021" not in with_draft["/services/warwickshire/"]


@pytest.mark.parametrize("role", ["analyst", "manager", "staff_administrator"])
def test_admin_lists_and_searches_are_as_without_the_draft(client, request, reports_and_draft, role):
    client.force_login(request.getfixturevalue(role))
    with_draft = admin_list_counts(client)
    delete_draft(reports_and_draft["draft"])
    assert admin_list_counts(client) == with_draft


def test_inspectors_see_the_draft_everywhere_the_others_do_not(client, inspector, reports_and_draft):
    client.force_login(inspector)
    html = pages(client, PUBLIC_PAGES)
    assert DRAFT_TEXT in html[f"/findings/?q={DRAFT_MARKER}"]
    assert "November 2021" in html["/services/warwickshire/"]
    assert DRAFT_MARKER in client.get(f"/inspections/{reports_and_draft['draft']}/").content.decode()
    change = client.get(reverse("admin:inspections_inspection_change", args=[reports_and_draft["draft"]]))
    assert DRAFT_MARKER in change.content.decode()
    finding_list = client.get(reverse("admin:findings_finding_changelist") + f"?q={DRAFT_MARKER}")
    assert finding_list.context["cl"].result_count == 1


def test_publishing_is_an_action_recorded_with_who_and_when(client, inspector, reports_and_draft):
    client.force_login(inspector)
    draft_id = reports_and_draft["draft"]
    response = client.post(
        reverse("admin:inspections_inspection_changelist"),
        {"action": "publish", "_selected_action": [draft_id], "index": "0"},
        follow=True,
    )
    assert "Published 1 inspection(s)." in response.content.decode()
    draft = Inspection.objects.get(pk=draft_id)
    latest = draft.history.order_by("-history_id").first()
    assert (draft.status, latest.status, latest.history_change_reason, latest.history_user) == (
        InspectionStatus.PUBLISHED,
        InspectionStatus.PUBLISHED,
        "published",
        inspector,
    )
    assert latest.prev_record.status == InspectionStatus.DRAFT
    # Now public: the marker is found by anyone.
    client.logout()
    assert DRAFT_TEXT in client.get(f"/findings/?q={DRAFT_MARKER}").content.decode()


def test_publishing_on_the_change_form_is_recorded_as_published(client, inspector, reports_and_draft):
    from tests.inspections.test_admin import form_data

    client.force_login(inspector)
    url = reverse("admin:inspections_inspection_change", args=[reports_and_draft["draft"]])
    data = form_data(client.get(url))
    data["status"] = InspectionStatus.PUBLISHED
    response = client.post(url, data)
    assert response.status_code == 302
    latest = Inspection.objects.get(pk=reports_and_draft["draft"]).history.order_by("-history_id").first()
    assert (latest.status, latest.history_change_reason, latest.history_user) == ("published", "published", inspector)


def test_the_draft_rows_exist_so_the_checks_above_mean_something(reports_and_draft):
    draft_id = reports_and_draft["draft"]
    assert Finding.objects.filter(inspection_id=draft_id, text__contains=DRAFT_MARKER).count() == 1
    assert Recommendation.objects.filter(inspection_id=draft_id, text__contains=DRAFT_MARKER).count() == 1
    assert KeyFact.objects.filter(inspection_id=draft_id, period__contains=DRAFT_MARKER).count() == 1
