"""Compare two to four services side by side, standard by standard, in their latest visible inspections."""

import re

import pytest
from django.urls import reverse

from inspections.models import Inspection, InspectionStatus, Service
from inspections.services import documents_load
from inspections.synthetic import synthetic_generate
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


def inputs(response) -> list[str]:
    """The four text inputs' values, in order."""
    html = response.content.decode()
    return [
        value
        for number in range(1, 5)
        for value in re.findall(rf'<input class="govuk-input[^"]*" id="services-{number}" [^>]*value="([^"]*)"', html)
    ]


def test_compare_without_services_shows_four_text_inputs_and_reads_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose the services above to see their ratings side by side." in html
    assert "compare-table" not in html
    for number, label in enumerate(
        ["First service", "Second service", "Third service (optional)", "Fourth service (optional)"], start=1
    ):
        assert f'<label class="govuk-label" for="services-{number}">{label}</label>' in html
        assert (
            f'<input class="govuk-input" id="services-{number}" name="services" type="text" value="" '
            'autocomplete="off" spellcheck="false">'
        ) in html
    # No list of every service: the page is the same size with five services or ten thousand.
    assert "<select" not in html and "<option" not in html
    assert "Western Bay" not in html
    assert '<strong class="govuk-service-navigation__active-fallback">Compare</strong>' in html
    assert html.count("<h1") == 1


def test_compare_ignores_empty_choices_and_shows_the_chosen_names(client):
    response = client.get(URL + "?services=&services=western-bay&services=&services=warwickshire")
    assert response.status_code == 200
    assert row(response, "Overall rating") == ["Inadequate", "Good"]
    assert inputs(response) == [
        "Western Bay Youth Justice and Early Intervention Service",
        "Warwickshire Youth Justice Service",
        "",
        "",
    ]


@pytest.mark.parametrize(
    ("typed", "slugs"),
    [
        # A name in any case, part of a name, a slug: each gives the same comparison by slugs.
        (["Western Bay Youth Justice and Early Intervention Service", "warwickshire"], ["western-bay", "warwickshire"]),
        (["WARWICKSHIRE youth justice service", "western-bay"], ["warwickshire", "western-bay"]),
        (["western bay", "Warwick"], ["western-bay", "warwickshire"]),
        (
            ["  Swindon ", "bromley", "northamptonshire", "Bay"],
            ["swindon", "bromley", "northamptonshire", "western-bay"],
        ),
    ],
)
def test_compare_redirects_typed_names_to_the_comparison_by_slugs(client, typed, slugs):
    response = compare(client, *typed)
    assert response.status_code == 302
    assert response["Location"] == URL + "?" + "&".join(f"services={slug}" for slug in slugs)
    followed = client.get(response["Location"])
    assert followed.status_code == 200
    assert [cell.split(" Draft")[0] for cell in rows(followed)[0][1:]] == [
        Service.objects.get(slug=slug).name for slug in slugs
    ]


def test_compare_takes_an_exact_name_before_longer_names_holding_it(client):
    Service.objects.filter(slug="swindon").update(name="Western Bay")
    response = compare(client, "western bay", "warwickshire")
    assert response["Location"] == URL + "?services=swindon&services=warwickshire"
    # Part of a name: both names hold it.
    response = compare(client, "western b", "warwickshire")
    assert response.status_code == 400
    assert errors(response) == [
        "Services (services): “western b” matches 2 services: Western Bay, "
        "Western Bay Youth Justice and Early Intervention Service; type more of the name or its slug"
    ]


def test_compare_takes_a_slug_before_a_name(client):
    Service.objects.filter(slug="swindon").update(name="bromley")
    response = compare(client, "bromley", "warwickshire")
    assert response.status_code == 200
    assert row(response, "Framework")[0] == "Full Joint Inspection (2015)"
    assert rows(response)[0][1] == "Bromley Youth Offending Service"


def test_compare_names_up_to_five_of_the_services_an_ambiguous_value_matches(client):
    response = compare(client, "offending", "western-bay")
    assert response.status_code == 400
    assert errors(response) == [
        "Services (services): “offending” matches 3 services: Bromley Youth Offending Service, "
        "Northamptonshire Youth Offending Service, Swindon Youth Offending Team; type more of the name or its slug"
    ]
    synthetic_generate(services=2, inspections_per_service=1, seed=1)
    response = compare(client, "youth", "western-bay")
    [message] = errors(response)
    assert message == (
        "Services (services): “youth” matches 7 services: "
        + ", ".join(Service.objects.filter(name__icontains="youth").order_by("name").values_list("name", flat=True)[:5])
        + ", …; type more of the name or its slug"
    )
    html = response.content.decode()
    assert f'<a href="#services-1">{message}</a>' in html
    # The typed text stays in its input, marked as in error; the resolved one shows its name.
    assert inputs(response) == ["youth", "Western Bay Youth Justice and Early Intervention Service", "", ""]
    assert '<input class="govuk-input govuk-input--error" id="services-1" name="services"' in html
    assert '<input class="govuk-input" id="services-2" name="services"' in html


def test_compare_lists_the_slugs_of_services_that_share_a_name(client):
    Service.objects.filter(slug="swindon").update(name="Bromley Youth Offending Service")
    response = compare(client, "bromley youth offending service", "western-bay")
    assert errors(response) == [
        "Services (services): “bromley youth offending service” matches 2 services: "
        "Bromley Youth Offending Service (bromley), Bromley Youth Offending Service (swindon); "
        "type more of the name or its slug"
    ]
    # Chosen by slug, a service whose name another shares is shown by its slug: the text that finds it again.
    response = compare(client, "bromley", "western-bay")
    assert response.status_code == 200
    assert inputs(response) == ["bromley", "Western Bay Youth Justice and Early Intervention Service", "", ""]


def test_compare_keeps_a_typed_name_and_redirects_nothing_while_there_is_an_error(client):
    response = compare(client, "western bay")
    assert response.status_code == 400
    assert errors(response) == ["Services (services): Choose at least 2 services to compare"]
    assert inputs(response) == ["Western Bay Youth Justice and Early Intervention Service", "", "", ""]
    response = compare(client, "western bay", "atlantis")
    assert response.status_code == 400
    assert errors(response) == ["Services (services): “atlantis” is not a service you can compare"]
    assert inputs(response) == ["Western Bay Youth Justice and Early Intervention Service", "atlantis", "", ""]


def test_compare_refuses_the_same_service_by_slug_and_by_name(client):
    response = compare(client, "western-bay", "Western Bay", "warwickshire")
    assert response.status_code == 400
    assert errors(response) == [
        "Services (services): “Western Bay Youth Justice and Early Intervention Service” is chosen more than once"
    ]


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
        # Beyond the fourth value, a value is looked up as a slug only.
        (
            ["western-bay", "atlantis", "warwickshire", "bromley", "Swindon"],
            [
                "Services (services): “atlantis” is not a service you can compare",
                "Services (services): 1 more is not a service you can compare",
                "Services (services): Choose no more than 4 services (you chose 5)",
            ],
        ),
        (
            ["justice", "Y" * 300],
            [
                "Services (services): “justice” matches 2 services: Warwickshire Youth Justice Service, "
                "Western Bay Youth Justice and Early Intervention Service; type more of the name or its slug",
                f"Services (services): “{'Y' * 60}…” is not a service you can compare",
            ],
        ),
        (["a\x00b", "western-bay"], ["Services (services): “a\x00b” is not a service you can compare"]),
        (["100%", "_"], [f"Services (services): “{text}” is not a service you can compare" for text in ("100%", "_")]),
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


@pytest.mark.parametrize("role", [None, "analyst", "manager"])
def test_compare_never_finds_a_draft_by_its_name_for_other_roles(client, request, role):
    """A service with only a draft is unknown by name too: the same answer as a name no service has."""
    Inspection.objects.filter(service__slug="bromley").update(status=InspectionStatus.DRAFT)
    if role:
        client.force_login(request.getfixturevalue(role))
    typed_names = ("Bromley Youth Offending Service", "bromley youth", "Brom", "offending")
    with_draft = [compare(client, typed, "swindon") for typed in typed_names]
    for typed, response in zip(typed_names[:3], with_draft, strict=False):
        assert response.status_code == 400
        assert errors(response) == [f"Services (services): “{typed}” is not a service you can compare"]
    # Nor counted among the services a value matches.
    assert errors(with_draft[3]) == [
        "Services (services): “offending” matches 2 services: Northamptonshire Youth Offending Service, "
        "Swindon Youth Offending Team; type more of the name or its slug"
    ]
    # Byte for byte what the page says once the draft is gone.
    Inspection.objects.filter(service__slug="bromley").delete()
    without_draft = [compare(client, typed, "swindon") for typed in typed_names]
    assert [r.content for r in with_draft] == [r.content for r in without_draft]


def test_compare_finds_a_draft_by_its_name_for_inspectors(client, inspector):
    Inspection.objects.filter(service__slug="bromley").update(status=InspectionStatus.DRAFT)
    client.force_login(inspector)
    response = compare(client, "Brom", "swindon")
    assert response["Location"] == URL + "?services=bromley&services=swindon"
    assert errors(compare(client, "offending", "swindon"))[0].startswith(
        "Services (services): “offending” matches 3 services: Bromley Youth Offending Service, "
    )


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


@pytest.mark.parametrize(("role", "queries"), [(None, 4), ("analyst", 7)])
def test_compare_runs_the_same_queries_for_two_or_four_services(
    client, request, django_assert_num_queries, role, queries
):
    if role:
        client.force_login(request.getfixturevalue(role))
    with django_assert_num_queries(queries):
        assert compare(client, "western-bay", "warwickshire").status_code == 200
    with django_assert_num_queries(queries):
        assert compare(client, "western-bay", "bromley", "northamptonshire", "swindon").status_code == 200


@pytest.mark.parametrize(
    ("typed", "queries"),
    [
        # One query for every slug, one more per text that is not a slug, none for text no service could hold.
        (["western-bay", "warwickshire", "bromley", "swindon"], 1 + 3),
        (["Western Bay", "warwickshire"], 2),
        (["bay", "warwick", "brom", "swin"], 5),
        (["Western Bay", "Warwickshire Youth Justice Service"], 2),
        (["x" * 10_000, "a\x00b"], 0),
    ],
)
def test_compare_resolves_slugs_in_one_query_and_each_typed_name_in_one_more(
    client, django_assert_num_queries, typed, queries
):
    with django_assert_num_queries(queries):
        assert compare(client, *typed).status_code in (200, 302, 400)


@pytest.mark.parametrize(
    ("typed", "queries"),
    [
        ([f"nowhere-{n}" for n in range(1_000)], 5),
        ([f"no where {n}" for n in range(1_000)], 4),
        (["western-bay", "warwickshire"] * 500, 1),
    ],
)
def test_compare_bounds_the_queries_of_a_thousand_values(client, django_assert_num_queries, typed, queries):
    with django_assert_num_queries(queries):
        response = client.get(URL + "?" + "&".join(f"services={text.replace(' ', '+')}" for text in typed))
    assert response.status_code == 400
    assert errors(response)[-1] == "Services (services): Choose no more than 4 services (you chose 1000)"
