"""Compare two to four services side by side, standard by standard, in their latest visible inspections."""

import re

import pytest
from django.urls import reverse

from inspections.models import Inspection, InspectionStatus
from inspections.services import documents_load
from tests.conftest import report_document

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.usefixtures("loaded_reports")]
URL = reverse("compare")
DASH = "– Not inspected under this framework"


def compare(client, *slugs, **params):
    return client.get(URL, {"services": list(slugs), **params})


def rows(response) -> list[list[str]]:
    """The comparison table's rows, each a list of its cells' text."""
    html = response.content.decode()
    table = html[html.index('<table class="govuk-table compare-table">') : html.index("</table>")]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    ]


def row(response, label: str) -> list[str]:
    [found] = [r for r in rows(response) if r and r[0] == label]
    return found[1:]


def errors(response) -> list[str]:
    return [message for _, message in response.context["errors"]]


def test_compare_western_bay_and_warwickshire_standard_by_standard(client):
    response = compare(client, "western-bay", "warwickshire")
    assert response.status_code == 200
    table = rows(response)
    assert table[0] == [
        "",
        "Western Bay Youth Justice and Early Intervention Service",
        "Warwickshire Youth Justice Service",
    ]
    assert row(response, "Latest inspection") == ["March 2019", "fieldwork October 2018"]
    assert row(response, "Overall rating") == ["Inadequate", "Good"]
    assert row(response, "2.1 Assessment") == ["Inadequate", "Outstanding"]
    assert row(response, "3.4 Joint working") == ["Outstanding", "Requires improvement"]
    assert row(response, "3.3 Implementation and delivery")[1] == "Good"
    assert row(response, "3.3 Implementation and delivery")[0].startswith(
        "Inadequate By professional discretion Note Under 3.3 professional discretion was exercised"
    )
    labels = [r[0] for r in table]
    assert labels.index("2 Court disposals") < labels.index("2.1 Assessment") < labels.index("3 Out-of-court disposals")
    html = response.content.decode()
    assert (
        '<th scope="rowgroup" colspan="3" class="govuk-table__header govuk-!-padding-top-4">2 Court disposals</th>'
        in html
    )
    # One framework: no framework heading row.
    assert 'scope="colgroup"' not in html


def test_compare_keeps_the_order_asked_for_and_links_each_service(client):
    response = compare(client, "warwickshire", "western-bay")
    assert row(response, "2.1 Assessment") == ["Outstanding", "Inadequate"]
    html = response.content.decode()
    pk = Inspection.objects.get(service__slug="western-bay").pk
    assert f'<a class="govuk-link" href="/inspections/{pk}/">March 2019</a>' in html
    assert '<a class="govuk-link" href="/services/warwickshire/">Warwickshire Youth Justice Service</a>' in html
    assert '<strong class="govuk-tag govuk-tag--green rating-tag">Outstanding</strong>' in html


def test_compare_groups_rows_by_framework_when_frameworks_differ(client):
    response = compare(client, "western-bay", "bromley", "northamptonshire", "swindon")
    table = rows(response)
    labels = [r[0] for r in table]
    assert [label for label in labels if label.endswith(")")] == [
        "Youth offending service inspection standards (2018)",
        "Full Joint Inspection (2015)",
        "Short Quality Screening (2015)",
    ]
    assert row(response, "Framework") == [
        "Youth offending service inspection standards (2018)",
        "Full Joint Inspection (2015)",
        "Short Quality Screening (2015)",
        "Full Joint Inspection (2015)",
    ]
    assert row(response, "2.1 Assessment") == ["Inadequate", DASH, DASH, DASH]
    assert row(response, "1 Reducing reoffending") == [DASH, "Poor Score 39%", DASH, "Satisfactory Score 74%"]
    bromley_governance = row(response, "5 Governance and partnerships")[1]
    assert bromley_governance == (
        "Poor Note The report gives no case assessment score for governance and partnerships; "
        "the rating is from the Summary."
    )
    assert row(response, "Ratings") == [DASH, DASH, "No ratings in this framework", DASH]
    # FJI gives no overall rating: the only overall row is the 2018 framework's.
    assert [r[1:] for r in table if r[0] == "Overall rating"] == [["Inadequate", DASH, DASH, DASH]]
    html = response.content.decode()
    assert '<th scope="colgroup" colspan="5"' in html


def test_compare_shows_an_unrated_standard_as_not_rated(client):
    from ratings.models import Judgement

    Judgement.objects.filter(inspection__service__slug="warwickshire", standard__code="2.2").delete()
    Judgement.objects.filter(inspection__service__slug="warwickshire", standard__code="2.3").update(rating=None)
    response = compare(client, "western-bay", "warwickshire")
    assert row(response, "2.2 Planning") == ["Inadequate", "Not rated"]
    assert row(response, "2.3 Implementation and delivery") == ["Inadequate", "Not rated"]


def test_compare_without_services_shows_the_form(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose the services above to see their ratings side by side." in html
    assert "compare-table" not in html
    for number, label in enumerate(
        ["First service", "Second service", "Third service (optional)", "Fourth service (optional)"], start=1
    ):
        assert f'<label class="govuk-label" for="services-{number}">{label}</label>' in html
        assert f'<select class="govuk-select govuk-!-width-full" id="services-{number}" name="services">' in html
    assert (
        html.count('<option value="western-bay">Western Bay Youth Justice and Early Intervention Service</option>') == 4
    )
    assert '<strong class="govuk-service-navigation__active-fallback">Compare</strong>' in html
    assert html.count("<h1") == 1


def test_compare_ignores_empty_choices_and_keeps_the_chosen_selected(client):
    response = client.get(URL + "?services=&services=western-bay&services=&services=warwickshire")
    assert response.status_code == 200
    assert row(response, "Overall rating") == ["Inadequate", "Good"]
    html = response.content.decode()
    assert '<option value="western-bay" selected>' in html
    assert '<option value="warwickshire" selected>' in html


@pytest.mark.parametrize(
    ("slugs", "messages"),
    [
        (["western-bay"], ["Services (services): Choose at least 2 services to compare"]),
        (
            ["western-bay", "warwickshire", "bromley", "swindon", "northamptonshire"],
            ["Services (services): Choose no more than 4 services (you chose 5)"],
        ),
        (["western-bay", "atlantis"], ["Services (services): “atlantis” is not a service you can compare"]),
        (["western-bay", "western-bay"], ["Services (services): “western-bay” is chosen more than once"]),
        (
            ["x" * 10_000, "western-bay"],
            [f"Services (services): “{'x' * 60}…” is not a service you can compare"],
        ),
        (
            [f"nowhere-{n}" for n in range(6)],
            [f"Services (services): “nowhere-{n}” is not a service you can compare" for n in range(4)]
            + [
                "Services (services): 2 more are not services you can compare",
                "Services (services): Choose no more than 4 services (you chose 6)",
            ],
        ),
    ],
)
def test_compare_refuses_a_wrong_choice_with_a_400_saying_why(client, slugs, messages):
    response = compare(client, *slugs)
    assert response.status_code == 400
    assert errors(response) == messages
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'<a href="#services-1">{messages[0]}</a>' in html
    assert "<title>Error: Compare services" in html
    assert "compare-table" not in html


@pytest.mark.parametrize("role", [None, "analyst", "manager"])
def test_compare_never_shows_a_draft_to_other_roles(client, request, role):
    Inspection.objects.filter(service__slug="bromley").update(status=InspectionStatus.DRAFT)
    if role:
        client.force_login(request.getfixturevalue(role))
    response = compare(client, "bromley", "swindon")
    assert response.status_code == 400
    assert errors(response) == ["Services (services): “bromley” is not a service you can compare"]
    assert "Bromley" not in client.get(URL).content.decode()


def test_compare_shows_inspectors_drafts_marked_as_such(client, inspector):
    Inspection.objects.filter(service__slug="bromley").update(status=InspectionStatus.DRAFT)
    client.force_login(inspector)
    response = compare(client, "bromley", "swindon")
    assert response.status_code == 200
    assert row(response, "Latest inspection") == ["May 2015 Draft", "June 2015"]


def test_compare_uses_each_service_latest_visible_inspection(client, analyst, inspector):
    later = report_document("western-bay")
    later.update(status="draft", published="2022-01", overall_rating=None)
    later["judgements"] = [{**j, "rating": "Good"} if j["code"] == "2.1" else j for j in later["judgements"]]
    later["key_questions"] = [
        {**k, "percent_yes": 70} if k["code"].startswith("2.1.") else k for k in later["key_questions"]
    ]
    documents_load(documents=[("later.json", later)])

    client.force_login(analyst)
    response = compare(client, "western-bay", "warwickshire")
    assert row(response, "Latest inspection") == ["March 2019", "fieldwork October 2018"]
    assert row(response, "2.1 Assessment") == ["Inadequate", "Outstanding"]
    client.force_login(inspector)
    response = compare(client, "western-bay", "warwickshire")
    assert row(response, "Latest inspection") == ["January 2022 Draft", "fieldwork October 2018"]
    assert row(response, "2.1 Assessment") == ["Good", "Outstanding"]


@pytest.mark.parametrize(("role", "queries"), [(None, 4), ("analyst", 8)])
def test_compare_runs_the_same_queries_for_two_or_four_services(
    client, request, django_assert_num_queries, role, queries
):
    if role:
        client.force_login(request.getfixturevalue(role))
    with django_assert_num_queries(queries):
        assert compare(client, "western-bay", "warwickshire").status_code == 200
    with django_assert_num_queries(queries):
        assert compare(client, "western-bay", "bromley", "northamptonshire", "swindon").status_code == 200
