"""One inspection's page (/inspections/<id>/): everything it holds, structured as the report is."""

from html import escape

import pytest
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse

from findings.models import Finding
from inspections.models import Inspection
from tests.conftest import report_document
from tests.inspections.test_scorecard import element_text

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.usefixtures("loaded_reports")]


def inspection_url(slug: str) -> str:
    return reverse("inspection_detail", args=[Inspection.objects.get(service__slug=slug).pk])


def inspection_page(client, slug: str) -> str:
    response = client.get(inspection_url(slug))
    assert response.status_code == 200
    return response.content.decode()


def test_inspection_detail_western_bay_facts_about_the_inspection(client):
    html = inspection_page(client, "western-bay")
    assert '<h1 class="govuk-heading-xl">An inspection of youth offending services in Western Bay</h1>' in html
    assert element_text(html, "overall-rating") == "Inadequate"
    about = element_text(html, "about-list")
    assert about == (
        "Service Western Bay Youth Justice and Early Intervention Service "
        "Local authorities covered Swansea, Neath Port Talbot, Bridgend "
        "Framework Youth offending service inspection standards (2018) Status Published Published March 2019 "
        "Fieldwork started December 2018 Fieldwork ended Not known Lead inspector Yvonne McGuckian "
        "Cases inspected Court: 31 Out of court: 20 Total: Not known Overall rating Inadequate"
    )
    assert f'href="{reverse("service_scorecard", args=["western-bay"])}"' in html


def test_inspection_detail_western_bay_notes_on_gaps_in_the_source(client):
    html = inspection_page(client, "western-bay")
    notes = report_document("western-bay")["notes"]
    assert len(notes) == 7
    for note in notes:
        assert f"<li>{escape(note)}</li>" in html


def test_inspection_detail_western_bay_is_structured_by_domain_and_standard(client):
    html = inspection_page(client, "western-bay")
    positions = [
        html.index(marker)
        for marker in (
            'id="summary"',
            'id="domain-1"',
            'id="standard-1.1"',
            'id="standard-1.4"',
            'id="domain-2"',
            'id="standard-2.1"',
            'id="domain-3"',
            'id="standard-3.4"',
            'id="recommendations"',
            'id="key-facts"',
        )
    ]
    assert positions == sorted(positions)
    standard_3_3 = element_text(html, "standard-3.3")
    assert standard_3_3.startswith(
        "3.3 Implementation and delivery Rating Inadequate Proposed by the key questions: Requires improvement "
        "Professional discretion used. Under 3.3 professional discretion was exercised because of cases close to the "
        "grade boundary. Overall performance for implementation and delivery was therefore scored inadequate. "
        "Rated by Its lowest key question's band (80% and over Outstanding; 65% to 79% Good; 50% to 64% Requires "
        "improvement; under 50% Inadequate)"
    )
    assert element_text(html, "question-3.3.2").endswith(
        "50% Requires improvement Lowest: proposes Requires improvement"
    )
    assert element_text(html, "question-2.1.3").endswith("37% Inadequate Lowest: sets the rating")
    standard_1_1 = element_text(html, "standard-1.1")
    assert standard_1_1.startswith("1.1 Governance and leadership Rating Inadequate Rated by The inspectors' judgement")
    assert 'id="question-1.1.1"' not in html  # rated by judgement: no percentages
    # The domain's own findings come before its standards.
    domain_2 = html[html.index('id="domain-2"') : html.index('id="standard-2.1"')]
    assert [heading in domain_2 for heading in ("Key findings", "Strengths", "Areas for improvement")] == [True] * 3


def test_inspection_detail_western_bay_shows_every_finding_and_recommendation(client):
    html = inspection_page(client, "western-bay")
    western_bay = Inspection.objects.get(service__slug="western-bay")
    findings = list(western_bay.findings.all())
    assert len(findings) == 185
    for finding in findings:
        assert linebreaksbr(finding.text) in html  # escaped, line breaks kept
    assert html.count('<div class="govuk-inset-text">') == 1  # the one notable practice example (2.3)
    assert "John was 17 and his safety and wellbeing risks were increasing." in element_text(html, "standard-2.3")
    assert html.count("<figure ") == 5
    assert (
        '<figcaption class="govuk-body-s">member of staff</figcaption>'
        in html[html.index('id="standard-1.3"') : html.index('id="standard-1.4"')]
    )
    assert "The report makes 14 recommendations to 5 addressees." in html
    assert element_text(html, "addressee-5") == "Abertawe Bro Morgannwg University Health Board (ABMUHB)"
    assert element_text(html, "fact-1").startswith("First-time entrants 120 per 100,000 England and Wales 273 per")


def test_inspection_detail_warwickshire_shows_what_is_not_known(client):
    html = inspection_page(client, "warwickshire")
    about = element_text(html, "about-list")
    assert "Published Publication date not known (fieldwork started October 2018) Fieldwork started October 2018" in (
        about
    )
    assert "Lead inspector Not known" in about
    assert "Cases inspected Court: 24 Out of court: 15 Total: Not known" in about
    assert element_text(html, "question-3.3.3").startswith(
        "3.3.3 Does the implementation and delivery of services effectively support the safety of other people? "
        "Not known Why not known Lost to OCR"
    )
    assert "Source is an OCR text of the PDF that begins at the Foreword" in element_text(html, "notes-list")


def test_inspection_detail_swindon_shows_theme_ratings_and_scores(client):
    html = inspection_page(client, "swindon")
    assert element_text(html, "overall-rating") == (
        "This Full Joint Inspection gives no overall rating: each theme is rated on its own."
    )
    theme_4 = element_text(html, "standard-4")
    assert theme_4.startswith(
        "4 Ensuring that the sentence is served Rating Good Case assessment score 91% of work done well enough "
        "Rated by The inspectors' judgement"
    )
    assert "Quotes" in theme_4
    assert element_text(html, "standard-5").startswith(
        "5 Governance and partnerships Rating Unsatisfactory Note: The FJI framework gives no case assessment score"
    )
    assert "Case assessment score No score" in element_text(html, "standard-5")
    assert '<h2 class="govuk-heading-l" id="themes">Themes</h2>' in html
    assert "domain-1" not in html


def test_inspection_detail_northamptonshire_gives_no_ratings(client):
    html = inspection_page(client, "northamptonshire")
    assert element_text(html, "overall-rating") == "This Short Quality Screening gives no ratings."
    assert "rating-tag" not in html
    assert element_text(html, "standard-5").startswith(
        "5 Operational management Not rated: this Short Quality Screening gives no ratings. Explanation of findings"
    )
    assert "This report makes no recommendations." in html
    whole = element_text(html, "whole-inspection")
    assert [heading in whole for heading in ("Summary", "Strengths", "Areas for improvement")] == [True] * 3


def test_inspection_detail_unknown_inspection_is_not_found(client):
    missing = Inspection.objects.order_by("-pk").first().pk + 1
    assert client.get(reverse("inspection_detail", args=[missing])).status_code == 404
    assert client.get("/inspections/" + "9" * 40 + "/").status_code == 404
    assert client.get("/inspections/abc/").status_code == 404


def test_inspection_detail_ignores_query_parameters(client):
    response = client.get(inspection_url("western-bay"), {"page": "\x00" * 50, "sort": "-" * 1000})
    assert response.status_code == 200


def test_inspection_detail_draft_is_refused_to_all_but_inspectors(client, analyst, manager, inspector):
    Inspection.objects.filter(service__slug="bromley").update(status="draft")
    url = inspection_url("bromley")
    assert client.get(url).status_code == 404  # anonymous
    for user in (analyst, manager):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(inspector)
    html = inspection_page(client, "bromley")
    assert "This inspection of May 2015 is a draft: only inspectors can see it until it is published." in html
    assert "Status Draft" in element_text(html, "about-list")


def test_inspection_detail_finding_kinds_keep_report_order(client):
    html = inspection_page(client, "swindon")
    theme_1 = html[html.index('id="standard-1"') : html.index('id="standard-2"')]
    headings = ["Summary", "Key findings", "Explanation of findings", "Notable practice", "Quotes"]
    positions = [theme_1.index(f'<h4 class="govuk-heading-s">{heading}</h4>') for heading in headings]
    assert positions == sorted(positions)
    first_key_finding = Finding.objects.filter(
        inspection__service__slug="swindon", kind="key_finding", standard__code="1"
    ).order_by("position")[0]
    assert escape(first_key_finding.text) in theme_1


def test_inspection_detail_runs_a_fixed_number_of_queries(client, inspector, django_assert_num_queries):
    western_bay, warwickshire = inspection_url("western-bay"), inspection_url("warwickshire")
    with django_assert_num_queries(8 + 7):  # the first request reads the framework catalogue (seven queries)
        client.get(western_bay)
    with django_assert_num_queries(8):  # then one query checks that the kept catalogue is current
        client.get(western_bay)
    with django_assert_num_queries(8):
        client.get(warwickshire)
    client.force_login(inspector)
    client.get(western_bay)  # warm the session
    with django_assert_num_queries(11):  # and the session, the user and the user's permissions (one query)
        client.get(western_bay)
