"""Search over findings and recommendations: full text on PostgreSQL, every word on SQLite, filters, safety."""

import re

import pytest
from django.urls import reverse

from findings import selectors
from findings.models import Finding, Recommendation
from findings.selectors import finding_search_results, highlight, highlight_headline, search_is_full_text
from inspections.models import Inspection, InspectionStatus, Service

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.usefixtures("loaded_reports")]
URL = reverse("finding_search")
MARK = '<mark class="search-match">'


def texts(response) -> list[str]:
    return [re.sub(r"<[^>]+>", "", str(result.text)) for result in response.context["results"]]


def found(response) -> list[tuple[str, str, str]]:
    """The results of the page: (service slug, kind, first 40 characters of the text without marks)."""
    return [
        (result.service_slug, result.kind, re.sub(r"<[^>]+>", "", str(result.text))[:40])
        for result in response.context["results"]
    ]


def count(response) -> int:
    return response.context["page_obj"].paginator.count


def body(response) -> str:
    return response.content.decode()


def test_search_assetplus_finds_the_western_bay_findings(client):
    response = client.get(URL, {"q": "AssetPlus"})
    assert response.status_code == 200
    assert count(response) == 10
    western_bay = [text for slug, _, text in found(response) if slug == "western-bay"]
    assert len(western_bay) == 7
    assert "Staff training in the use of the AssetPl" in western_bay
    assert {slug for slug, _, _ in found(response)} == {"western-bay", "warwickshire"}
    assert "10 results" in body(response)


def test_search_marks_the_matches(client):
    response = client.get(URL, {"q": "assetplus", "service": "western-bay", "kind": "key_finding"})
    [result] = response.context["results"]
    assert str(result.text) == (
        f"Staff training in the use of the {MARK}AssetPlus</mark> assessment system has not equipped them to use the "
        "system well. This affects the quality of their assessments."
    )
    assert f"{MARK}AssetPlus</mark> assessment system" in body(response)


def test_search_needs_every_word(client):
    response = client.get(URL, {"q": "AssetPlus training"})
    starts = [text[:30] for text in texts(response)]
    assert "Staff training in the use of t" in starts
    assert "Staff we interviewed often had" in starts  # "Despite training in the use of AssetPlus"
    assert "Effective planning to include " not in starts  # AssetPlus without training
    assert count(response) < 10


def test_search_matching_follows_the_database(client):
    """PostgreSQL matches words in any form (stemming); the SQLite fallback matches the letters typed."""
    response = client.get(URL, {"q": "AssetPlus trainings"})
    if search_is_full_text():
        assert "Staff training in the use of t" in [text[:30] for text in texts(response)]
        assert response.context["full_text"] is True
        assert "Put a phrase in quotes" in body(response)
    else:
        assert count(response) == 0
        assert "Every word must appear in the text, in any case." in body(response)


def test_search_filters_by_kind(client):
    response = client.get(URL, {"kind": "strength"})
    assert count(response) == 29  # Northamptonshire 4, Warwickshire 17, Western Bay 8
    assert {kind for _, kind, _ in found(response)} == {"strength"}
    assert "Strength" in body(response)
    western_bay = client.get(URL, {"kind": "strength", "service": "western-bay"})
    assert count(western_bay) == 8
    assert found(western_bay)[0] == ("western-bay", "strength", "There are committed staff and management")


def test_search_recommendation_is_a_kind(client):
    response = client.get(URL, {"kind": "recommendation"})
    assert count(response) == 35  # Bromley 13, Swindon 4, Warwickshire 4, Western Bay 14
    assert {kind for _, kind, _ in found(response)} == {"recommendation"}
    western_bay = client.get(URL, {"kind": "recommendation", "q": "clarify", "service": "western-bay"})
    [result] = western_bay.context["results"]
    assert result.label == "Western Bay Youth Justice and Early Intervention Service (WBYJEIS) Management Board"
    assert str(result.text).startswith(f"review and {MARK}clarify</mark> its role")
    assert "Recommendation" in body(western_bay)


def test_search_without_a_kind_finds_findings_and_recommendations(client):
    response = client.get(URL, {"q": "oversight", "service": "western-bay"})
    assert count(response) == 5
    assert [kind for _, kind, _ in found(response)].count("recommendation") == 2


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"standard": "2.1", "rating": "Inadequate"}, [("western-bay", 9)]),  # 8 explanations and a quote
        ({"standard": "2.1", "rating": "Outstanding"}, [("warwickshire", 7)]),
        ({"standard": "2.1"}, [("warwickshire", 7), ("western-bay", 9)]),
        ({"standard": "3.4", "rating": "Requires improvement"}, [("warwickshire", 6)]),
        ({"standard": "domain-2", "kind": "strength"}, [("warwickshire", 7), ("western-bay", 3)]),
        ({"standard": "5", "rating": "Poor"}, [("bromley", 35)]),  # FJI theme 5: 27 explanations, 8 others
        ({"standard": "5", "kind": "explanation"}, [("bromley", 27), ("northamptonshire", 2), ("swindon", 33)]),
        ({"kind": "area_for_improvement", "rating": "Inadequate"}, [("western-bay", 14)]),  # domain: overall rating
        ({"kind": "recommendation", "rating": "Good"}, [("warwickshire", 4)]),
        ({"service": "swindon", "kind": "quote"}, [("swindon", 15)]),
        # Words with filters (on PostgreSQL from one GIN index, ids compared as bigints: findings.selectors._one_of):
        # a standard that is one id, a rating on two scales (two ids), a domain and its standards.
        ({"q": "AssetPlus", "standard": "2.1"}, [("western-bay", 2)]),  # an explanation and a quote
        ({"q": "AssetPlus", "standard": "2.1", "rating": "Good"}, []),
        ({"q": "AssetPlus", "rating": "Good"}, [("warwickshire", 3), ("western-bay", 1)]),
        ({"q": "AssetPlus", "standard": "domain-2"}, [("western-bay", 5)]),
    ],
)
def test_search_filters_by_standard_rating_and_service(client, params, expected):
    response = client.get(URL, {**params, "page": "1"})
    assert response.status_code == 200
    total = sum(number for _, number in expected)
    assert count(response) == total
    slugs = [slug for slug, _, _ in found(response)]
    if total <= 20:
        assert [(slug, slugs.count(slug)) for slug in dict.fromkeys(slugs)] == expected


def test_search_says_which_rating_the_rating_filter_uses(client):
    html = body(client.get(URL))
    assert (
        "For a finding about a standard or theme: that standard's rating in the inspection. For a finding about "
        "a domain or the whole report, and for a recommendation: the inspection's overall rating."
    ) in html
    response = client.get(URL, {"standard": "2.1", "service": "western-bay", "kind": "quote"})
    [result] = response.context["results"]
    assert (result.rating_of, result.rating, result.about) == ("standard", "Inadequate", "2.1 Assessment")
    assert "rating of the standard: " in body(response)
    response = client.get(URL, {"kind": "strength", "service": "warwickshire", "standard": "domain-3"})
    assert {(r.rating_of, r.rating, r.about) for r in response.context["results"]} == {
        ("overall", "Good", "3 Out-of-court disposals")
    }


def test_search_results_link_to_the_inspection_and_the_scorecard(client):
    response = client.get(URL, {"q": "AssetPlus", "service": "western-bay", "kind": "key_finding"})
    pk = Inspection.objects.get(service__slug="western-bay").pk
    html = body(response)
    name = "Western Bay Youth Justice and Early Intervention Service"
    assert f'<a class="govuk-link" href="/inspections/{pk}/">{name}, March 2019</a>' in html
    assert f'<a class="govuk-link" href="/services/western-bay/">{name} scorecard</a>' in html
    assert '<strong class="govuk-tag govuk-tag--red rating-tag">Inadequate</strong>' in html


def test_search_never_lets_finding_text_inject_markup(client):
    finding = Finding.objects.get(
        inspection__service__slug="western-bay", kind="key_finding", text__contains="AssetPlus"
    )
    finding.text = '<script>alert("x")</script> AssetPlus & <b>bold</b> "quoted"'
    finding.save()
    Recommendation.objects.filter(inspection__service__slug="western-bay", number=1).update(
        text="<img src=x onerror=alert(1)> review AssetPlus"
    )
    for params in ({"q": "AssetPlus"}, {"q": ""}, {"q": "script"}, {"q": "amp"}, {"q": "bold"}):
        html = body(client.get(URL, {**params, "service": "western-bay"}))
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "<b>bold" not in html
    html = body(client.get(URL, {"q": "AssetPlus", "service": "western-bay"}))
    assert (
        f"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; {MARK}AssetPlus</mark> &amp; &lt;b&gt;bold&lt;/b&gt;"
        in html
    )
    assert f"&lt;img src=x onerror=alert(1)&gt; review {MARK}AssetPlus</mark>" in html


def test_search_highlight_escapes_before_marking():
    assert highlight("a <b>AssetPlus</b> & assetplus", words=["AssetPlus"]) == (
        f"a &lt;b&gt;{MARK}AssetPlus</mark>&lt;/b&gt; &amp; {MARK}assetplus</mark>"
    )
    # A word that is part of an entity once escaped ("&amp;") is matched in the text, not in the entity.
    assert highlight("Tom & Jerry", words=["amp"]) == "Tom &amp; Jerry"
    assert highlight("<mark>", words=[]) == "&lt;mark&gt;"
    assert highlight_headline("x \ue000<i>y</i>\ue001 \ue000z") == f"x {MARK}&lt;i&gt;y&lt;/i&gt;</mark> z"


def test_search_results_show_unknown_dates_and_ratings_as_such():
    row = {
        "result_kind": "strength",
        "result_text": "Text",
        "result_label": "",
        "result_inspection": 1,
        "result_status": "published",
        "result_service_slug": "s",
        "result_service_name": "S",
        "result_published_on": None,
        "result_published_precision": "day",
        "result_fieldwork_on": None,
        "result_fieldwork_precision": "day",
        "result_about": "",
        "result_rating_of": "overall",
        "result_rating": None,
    }
    [result] = finding_search_results(rows=[row], q="")
    assert (result.date_label, result.rating, result.kind_label) == ("date unknown", None, "Strength")


def test_search_paginates_twenty_a_page_and_shows_the_total(client):
    response = client.get(URL, {"kind": "explanation", "page": "2"})
    assert count(response) == 385  # 64 + 20 + 87 + 84 + 130
    assert len(response.context["results"]) == 20
    html = body(response)
    assert "385 results" in html
    assert "Showing 21 to 40" in html
    assert '<ol class="govuk-list finding-results" start="21">' in html
    assert 'href="?kind=explanation&amp;page=3" rel="next"' in html
    assert 'href="?kind=explanation&amp;page=1" rel="prev"' in html
    assert client.get(URL, {"kind": "explanation", "page": "999"}).context["page_obj"].number == 20


def test_search_with_no_match_says_so(client):
    response = client.get(URL, {"q": "xylophone"})
    assert response.status_code == 200
    assert count(response) == 0
    assert "0 results" in body(response)
    assert "No findings or recommendations match." in body(response)


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"kind": "banana"}, "id_kind", "Kind (kind): Choose one of the kinds in the list"),
        ({"rating": "Meh"}, "id_rating", "Rating (rating): Choose one of the ratings in the list"),
        ({"service": "atlantis"}, "id_service", "Service (service): No service has this name or slug"),
        (
            {"service": "bay"},
            "id_service",
            "Service (service): No service has this name or slug. Names that contain it: "
            "Western Bay Youth Justice and Early Intervention Service (western-bay)",
        ),
        (
            {"service": "youth offending"},
            "id_service",
            "Service (service): No service has this name or slug. Names that contain it: "
            "Bromley Youth Offending Service (bromley); Northamptonshire Youth Offending Service (northamptonshire); "
            "Swindon Youth Offending Team (swindon)",
        ),
        ({"service": "s" * 201}, "id_service", "Service (service): Must be 200 characters or fewer"),
        ({"service": "a\x00b"}, "id_service", "Service (service): Null characters are not allowed."),
        (
            {"standard": "9.9"},
            "id_standard",
            "Standard, theme or domain (standard): Choose one of the standards, themes or domains in the list",
        ),
        ({"q": "x" * 10_000}, "id_q", "Search text (q): Must be 200 characters or fewer"),
        ({"q": "a\x00b"}, "id_q", "Search text (q): Null characters are not allowed."),
        ({"page": "abc"}, "id_page", "Page (page): Must be a whole number"),
        ({"page": "0"}, "id_page", "Page (page): Must be 1 or more"),
        ({"page": "9" * 5000}, "id_page", "Page (page): Must be a whole number"),
    ],
)
def test_search_garbage_gets_a_400_naming_the_parameter(client, params, field, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    html = body(response)
    assert "There is a problem" in html
    assert f'<a href="#{field}">{message}</a>' in html
    assert "<title>Error: Search findings" in html
    assert "results</h2>" not in html


@pytest.mark.parametrize("role", [None, "analyst", "manager"])
def test_search_never_shows_drafts_to_other_roles(client, request, role):
    Inspection.objects.filter(service__slug="bromley").update(status=InspectionStatus.DRAFT)
    if role:
        client.force_login(request.getfixturevalue(role))
    response = client.get(URL, {"kind": "recommendation"})
    assert count(response) == 22  # Bromley's 13 left out
    assert "bromley" not in {slug for slug, _, _ in found(response)}
    assert "Bromley" not in body(client.get(URL))
    # A service whose only inspection is a draft is as unknown as one that does not exist.
    refused = client.get(URL, {"service": "bromley"})
    assert refused.status_code == 400
    assert "Service (service): No service has this name or slug" in body(refused)
    assert "Service (service): No service has this name or slug" in body(client.get(URL, {"service": "Bromley"}))
    # Nor is it suggested for a name that contains what was typed.
    suggested = body(client.get(URL, {"service": "youth offending"}))
    assert "Names that contain it: Northamptonshire Youth Offending Service (northamptonshire); Swindon" in suggested
    assert "Bromley" not in suggested


def test_search_shows_drafts_to_inspectors_marked_as_such(client, inspector):
    Inspection.objects.filter(service__slug="bromley").update(status=InspectionStatus.DRAFT)
    client.force_login(inspector)
    response = client.get(URL, {"kind": "recommendation", "service": "bromley"})
    assert count(response) == 13
    assert all(result.is_draft for result in response.context["results"])
    assert '<strong class="govuk-tag govuk-tag--grey">Draft</strong>' in body(response)


def test_search_takes_a_service_by_slug_or_by_its_full_name_in_any_case(client):
    by_slug = client.get(URL, {"kind": "strength", "service": "western-bay"})
    name = "Western Bay Youth Justice and Early Intervention Service"
    by_name = client.get(URL, {"kind": "strength", "service": f"  {name.upper()} "})
    assert by_slug.status_code == by_name.status_code == 200
    assert count(by_slug) == count(by_name) == 8
    assert found(by_name) == found(by_slug)
    # The box shows what was typed, and offers no list of services.
    assert f'name="service" type="search" value="  {name.upper()} "' in body(by_name)
    assert '<option value="western-bay"' not in body(by_slug)


def test_search_refuses_a_service_name_that_more_than_one_service_has(client):
    Service.objects.create(name="Swindon Youth Offending Team", slug="swindon-2", nation="England")
    swindon_2 = Service.objects.get(slug="swindon-2")
    Inspection.objects.filter(service__slug="bromley").update(service=swindon_2)
    response = client.get(URL, {"service": "swindon youth offending team"})
    assert response.status_code == 400
    assert (
        '<a href="#id_service">Service (service): More than one service has this name: give the slug from its '
        "scorecard&#x27;s address instead</a>"
    ) in body(response)
    # Each slug still names one (a slug is unique, and decides before any name).
    assert count(client.get(URL, {"kind": "recommendation", "service": "swindon"})) == 4
    assert count(client.get(URL, {"kind": "recommendation", "service": "swindon-2"})) == 13


def test_search_marks_the_active_navigation_item(client):
    html = body(client.get(URL))
    assert '<strong class="govuk-service-navigation__active-fallback">Findings</strong>' in html
    assert html.count("<h1") == 1
    for field in ("id_q", "id_kind", "id_standard", "id_rating", "id_service"):
        assert f'<label class="govuk-label govuk-label--s" for="{field}">' in html


@pytest.mark.parametrize(("role", "queries"), [(None, 3), ("analyst", 6)])
def test_search_runs_a_fixed_number_of_queries(client, request, django_assert_num_queries, role, queries):
    """One to see that the framework catalogues kept in the process are current (the form's choices), one for the
    matches (their keys, capped, ordered), one for the page's rows (with PostgreSQL's headlines), and the
    session's for a user who is logged in."""
    if role:
        client.force_login(request.getfixturevalue(role))
    client.get(URL)  # the catalogues are read once a process, and again only when frameworks change
    for params in (
        {"q": "AssetPlus"},  # ten results
        {"q": "AssetPlus", "kind": "key_finding", "service": "western-bay"},  # one
        {"kind": "explanation", "page": "3"},  # a full page
        {"kind": "explanation", "page": "999"},  # past the end: the last page
        {"q": "review", "rating": "Inadequate", "standard": "domain-1"},  # findings and recommendations
        {"rating": "Good", "kind": "strength"},  # a rating: two capped parts, one query
    ):
        # A service is looked up by its slug or name in one query.
        service = 1 if "service" in params else 0
        with django_assert_num_queries(queries + service):
            assert client.get(URL, params).status_code == 200


def test_search_with_no_match_reads_no_rows(client, django_assert_num_queries):
    client.get(URL)
    with django_assert_num_queries(2):  # the catalogues' version and the matches: no page to read
        assert count(client.get(URL, {"q": "xylophone"})) == 0


def test_search_shows_at_most_max_matches_and_says_so(client, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_MATCHES", 7)

    response = client.get(URL, {"kind": "explanation"})

    html = response.content.decode()
    assert response.context["page_obj"].paginator.count == 7
    assert len(response.context["results"]) == 7
    assert "Only the first 7 matches are shown: narrow the search to see others." in html


def test_search_under_the_cap_does_not_mention_it(client):
    html = client.get(URL, {"q": "AssetPlus"}).content.decode()
    assert "narrow the search to see others" not in html
