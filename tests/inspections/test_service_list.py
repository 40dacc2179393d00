"""The services list for analysts: filters, removable filter tags, exports, bad input, drafts, query counts."""

import csv
import io
import json

import pytest
from django.urls import reverse

from inspections.models import Inspection, InspectionStatus, Service

pytestmark = pytest.mark.integration
URL = reverse("service_list")


def listed(response) -> list[str]:
    return [inspection.service.slug for inspection in response.context["page_obj"]]


def body(response) -> str:
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


def test_unfiltered_list_shows_every_published_service_by_name(client, reports):
    response = client.get(URL)
    assert response.status_code == 200
    assert listed(response) == ["bromley", "northamptonshire", "swindon", "warwickshire", "western-bay"]
    html = body(response)
    assert '<strong class="govuk-tag govuk-tag--red rating-tag">Inadequate</strong>' in html
    assert "fieldwork October 2018" in html  # Warwickshire: publication date unknown
    assert "No ratings in this framework" in html  # Northamptonshire (SQS)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"standard": "2.1", "standard_rating": "Inadequate"}, ["western-bay"]),
        ({"standard": "2.1", "standard_rating": "Outstanding"}, ["warwickshire"]),
        ({"standard": "3.4", "standard_rating": "Requires improvement"}, ["warwickshire"]),
        ({"standard": "2", "standard_rating": "Poor"}, ["bromley"]),  # FJI theme 2
        ({"standard": "4"}, ["bromley", "swindon"]),  # judged at all
        ({"rating": ["Good", "Inadequate"]}, ["warwickshire", "western-bay"]),
        ({"rating": "Good"}, ["warwickshire"]),
        ({"framework": "fji-2015"}, ["bromley", "swindon"]),
        ({"nation": "Wales"}, ["western-bay"]),
        ({"q": "neath port"}, ["western-bay"]),  # a local authority
        ({"q": "SWINDON"}, ["swindon"]),
        ({"published_from": "2016"}, ["warwickshire", "western-bay"]),  # Warwickshire by its fieldwork year
        ({"published_to": "2015"}, ["bromley", "northamptonshire", "swindon"]),
        ({"published_from": "2019", "published_to": "2019"}, ["western-bay"]),
        ({"sort": "-date"}, ["western-bay", "warwickshire", "swindon", "northamptonshire", "bromley"]),
        ({"sort": "rating", "framework": "standards-2018"}, ["warwickshire", "western-bay"]),
    ],
)
def test_filters_select_exactly_the_matching_services(client, reports, params, expected):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert listed(response) == expected


def test_chosen_filters_show_as_removable_tags(client, reports):
    response = client.get(URL, {"standard": "2.1", "standard_rating": "Inadequate", "nation": "Wales"})
    tags = {(tag["heading"], tag["label"]): tag["remove_url"] for tag in response.context["selected"]}
    assert tags == {
        ("Standard", "2.1 Assessment (Youth offending service inspection standards (2018))"): (
            "?standard_rating=Inadequate&nation=Wales"
        ),
        ("Rating of that standard", "Inadequate"): "?standard=2.1&nation=Wales",
        ("Nation", "Wales"): "?standard=2.1&standard_rating=Inadequate",
    }
    assert "Remove this filter: Nation" in body(response)


def test_csv_export_has_every_matching_row_and_the_same_filters(client, reports):
    response = client.get(URL, {"framework": "standards-2018", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="services.csv"'
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert [(r["slug"], r["overall_rating"], r["date"], r["date_is"]) for r in rows] == [
        ("warwickshire", "Good", "2018-10", "fieldwork"),
        ("western-bay", "Inadequate", "2019-03", "published"),
    ]
    assert rows[1]["local_authorities"] == "Swansea; Neath Port Talbot; Bridgend"
    assert rows[1]["standard_ratings"].startswith("1.1: Inadequate; 1.2: Inadequate;")
    assert "3.4: Outstanding" in rows[1]["standard_ratings"]


def test_csv_export_is_not_paginated(client, reports, monkeypatch):
    monkeypatch.setattr("inspections.selectors.SERVICE_LIST_PAGE_SIZE", 2)
    assert len(client.get(URL).context["page_obj"]) == 2
    rows = list(csv.DictReader(io.StringIO(body(client.get(URL, {"format": "csv"})))))
    assert len(rows) == 5


def test_json_export_matches_the_filtered_list(client, reports):
    response = client.get(URL, {"nation": "Wales", "format": "json"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    [row] = json.loads(body(response))
    assert row["slug"] == "western-bay"
    assert row["standard_ratings"]["3.3"] == "Inadequate"
    assert row["url"] == "http://testserver/services/western-bay/"


def test_csv_cells_that_look_like_formulas_are_neutralised(client, reports):
    Inspection.objects.filter(service__slug="swindon").update(service_name="=HYPERLINK(1)")
    swindon = Inspection.objects.get(service__slug="swindon").service
    swindon.name = "=cmd|' /C calc'!A0"
    swindon.save()
    rows = list(csv.DictReader(io.StringIO(body(client.get(URL, {"q": "cmd", "format": "csv"})))))
    assert [r["service"] for r in rows] == ["'=cmd|' /C calc'!A0"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"rating": "Meh"}, "Latest overall rating: Select a valid choice. Meh is not one of the available choices."),
        ({"standard": "99"}, "Standard: Select a valid choice. 99 is not one of the available choices."),
        ({"published_from": "abc"}, "Published from (year): Enter a number."),
        ({"published_from": "1066"}, "Published from (year): Ensure this value is greater than or equal to 2000."),
        ({"standard_rating": "Good"}, "Standard: Choose the standard that the standard rating is for"),
        (
            {"framework": "fji-2099"},
            "Framework: Select a valid choice. fji-2099 is not one of the available choices.",
        ),
        ({"sort": "random"}, "Sort by: Select a valid choice. random is not one of the available choices."),
        (
            {"q": "x" * 10_000},
            "Service or local authority: Ensure this value has at most 200 characters (it has 10000).",
        ),
        ({"format": "xml"}, "Format must be csv or json"),
        (
            {"published_from": "2019", "published_to": "2015"},
            "Published to (year): Published to must be the same year as published from or later",
        ),
    ],
)
def test_garbage_parameters_get_a_page_saying_what_is_wrong(client, reports, params, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert "There is a problem" in body(response)
    assert message in [text for _, text in response.context["errors"]]


def test_bad_parameters_are_refused_for_exports_too(client, reports):
    response = client.get(URL, {"rating": "Meh", "format": "csv"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_page_out_of_range_shows_the_last_page(client, reports):
    response = client.get(URL, {"page": "999"})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1


@pytest.mark.parametrize("role", [None, "analyst", "manager"])
def test_drafts_never_listed_or_exported_for_other_roles(client, reports, role, request):
    Inspection.objects.filter(service__slug="bromley").update(status=InspectionStatus.DRAFT)
    if role:
        client.force_login(request.getfixturevalue(role))
    assert "bromley" not in listed(client.get(URL))
    assert "bromley" not in body(client.get(URL, {"format": "csv"}))
    assert "bromley" not in body(client.get(URL, {"format": "json"}))


def test_inspectors_see_drafts_marked_as_such(client, reports, inspector):
    Inspection.objects.filter(service__slug="bromley").update(status=InspectionStatus.DRAFT)
    client.force_login(inspector)
    response = client.get(URL, {"q": "bromley"})
    assert listed(response) == ["bromley"]
    assert '<strong class="govuk-tag govuk-tag--grey">Draft</strong>' in body(response)


def test_a_service_whose_latest_inspection_is_a_draft_shows_its_latest_published_one(client, reports):
    from inspections.services import documents_load
    from tests.conftest import report_document

    later = report_document("western-bay")
    later.update(status="draft", published="2022-01")
    documents_load(documents=[("later.json", later)])

    response = client.get(URL, {"q": "western"})
    assert [(i.service.slug, i.date_label) for i in response.context["page_obj"]] == [("western-bay", "March 2019")]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("sw", ["swindon", "western-bay"]),  # Swindon's name, Western Bay's authority Swansea
        ("ta", ["western-bay"]),  # an authority only: Neath Port Talbot
        ("ZE", ["bromley"]),  # the name Bromley's report gave only ("Zest"), in another case
        ("zest", ["bromley"]),
        ("a", ["northamptonshire", "swindon", "warwickshire", "western-bay"]),  # not "Bromley ... Service"
        ("q", []),
    ],
)
def test_name_search_of_one_or_two_letters_finds_the_same_names_and_authorities(client, reports, q, expected):
    Inspection.objects.filter(service__slug="bromley").update(service_name="Zest Youth Offending Service")
    assert listed(client.get(URL, {"q": q})) == expected


@pytest.mark.parametrize(
    "q", ["a", "sw", "ta", "ze", "zes", "zest", "y", "yo", "you", "swansea", "Neath", "q", "Ju", "yv"]
)
def test_name_search_gives_the_same_rows_row_by_row_and_from_the_lookups(reports, monkeypatch, q):
    """Text too short for a trigram is tested row by row (through each row's service, or each service once);
    longer text is gathered from one lookup per name. Forced each way on every database: the same inspections,
    for the list's latest rows and for every inspection with the admin's fields."""
    from django.contrib.auth.models import AnonymousUser

    from inspections import filters
    from inspections.visibility import latest_inspections

    Inspection.objects.filter(service__slug="bromley").update(service_name="Zest Youth Offending Service")
    found = {}
    for way, length in (("row by row", 1_000), ("lookups", 1)):
        monkeypatch.setattr(filters, "TRIGRAM_LENGTH", length)
        for once in (False, True):
            for name, rows, extra in (
                ("latest", latest_inspections(user=AnonymousUser()), {}),
                ("all", Inspection.objects.all(), {"service_fields": ("slug",), "fields": ("lead_inspector", "title")}),
            ):
                matching = filters.inspections_matching(rows, text=q, each_service_once=once, **extra)
                found[way, once, name] = sorted(matching.values_list("service__slug", flat=True))
    for name in ("latest", "all"):
        assert len({tuple(slugs) for (_, _, of), slugs in found.items() if of == name}) == 1, found


def test_services_of_the_same_name_are_listed_by_id_on_every_page_and_export(client, reports):
    from inspections.services import documents_load
    from tests.conftest import report_document

    twin = report_document("swindon")
    twin["service"] = {**twin["service"], "slug": "swindon-twin"}
    documents_load(documents=[("twin.json", twin)])
    first, second = Service.objects.filter(name="Swindon Youth Offending Team").order_by("pk")
    for params in ({}, {"q": "sw"}, {"q": "swindon"}, {"sort": "-date", "framework": "fji-2015"}):
        slugs = [slug for slug in listed(client.get(URL, params)) if slug.startswith("swindon")]
        assert slugs == [first.slug, second.slug], params
    rows = csv.DictReader(io.StringIO(body(client.get(URL, {"format": "csv", "q": "swin"}))))
    assert [row["slug"] for row in rows] == [first.slug, second.slug]


def test_list_runs_a_fixed_number_of_queries(client, reports, django_assert_num_queries):
    with django_assert_num_queries(5):
        client.get(URL)
    with django_assert_num_queries(5):
        client.get(URL, {"standard": "2.1", "standard_rating": "Inadequate", "rating": ["Good", "Inadequate"]})
