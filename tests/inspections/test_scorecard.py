"""The service scorecard (/services/<slug>/): the latest inspection at a glance, for a head of service.

The five reports are loaded once for the module (``loaded_reports``); each test runs in its own savepoint, so a
second inspection or a draft made by one test is gone before the next.
"""

from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from inspections.models import Inspection
from inspections.services import documents_load
from ratings.models import PercentBand
from tests.conftest import report_document

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.usefixtures("loaded_reports")]

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Text on either side of these is separate text, as a browser lays it out.
BLOCK_ELEMENTS = {"blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption", "figure", "li", "ol", "p", "td"}
BLOCK_ELEMENTS |= {"details", "summary", "table", "th", "tr", "ul", "h1", "h2", "h3", "h4", "h5", "h6"}


class _ElementText(HTMLParser):
    """Collects the text inside the element with a given id."""

    def __init__(self, element_id: str):
        super().__init__()
        self.element_id, self.depth, self.parts, self.found = element_id, 0, [], False

    def handle_starttag(self, tag, attrs):
        if self.depth and tag in BLOCK_ELEMENTS:
            self.parts.append(" ")
        if tag in VOID_ELEMENTS:
            return
        if self.depth:
            self.depth += 1
        elif not self.found and dict(attrs).get("id") == self.element_id:
            self.depth, self.found = 1, True

    def handle_endtag(self, tag):
        if self.depth and tag in BLOCK_ELEMENTS:
            self.parts.append(" ")
        if self.depth and tag not in VOID_ELEMENTS:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def element_text(html: str, element_id: str) -> str:
    """The text of the element with this id, whitespace collapsed; fails the test when there is no such element."""
    parser = _ElementText(element_id)
    parser.feed(html)
    assert parser.found, f"no element with id {element_id!r}"
    return " ".join(unescape("".join(parser.parts)).split())


def scorecard(client, slug: str) -> str:
    response = client.get(reverse("service_scorecard", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def load_another_inspection(slug: str, **changes) -> Inspection:
    """Load a copy of a seed report as another inspection (another date) of the same or another service."""
    document = report_document(slug)
    document.update(changes)
    [result] = documents_load(documents=[(f"test copy of {slug}", document)])
    return result.inspection


def western_bay_improved(**changes) -> Inspection:
    """Western Bay inspected again in June 2021: assessment (2.1) now Good, so the standards add up to 8 points."""
    document = report_document("western-bay")
    percents = {"2.1.1": 70, "2.1.2": 72, "2.1.3": 66}
    for question in document["key_questions"]:
        question["percent_yes"] = percents.get(question["code"], question["percent_yes"])
    for judgement in document["judgements"]:
        if judgement["code"] == "2.1":
            judgement["rating"] = "Good"
    return load_another_inspection(
        "western-bay",
        published="2021-06",
        fieldwork_start="2021-02",
        overall_rating="Requires improvement",
        key_questions=document["key_questions"],
        judgements=document["judgements"],
        **changes,
    )


# What the latest inspection says -----------------------------------------------------------------------------------


def test_scorecard_western_bay_shows_the_overall_rating_and_every_standard_by_domain(client):
    html = scorecard(client, "western-bay")
    assert '<h1 class="govuk-heading-xl">Western Bay Youth Justice and Early Intervention Service</h1>' in html
    assert element_text(html, "overall-rating") == "Inadequate"
    assert element_text(html, "standard-1.1") == "1.1 Governance and leadership Inadequate"
    assert element_text(html, "standard-3.1") == "3.1 Assessment Good"
    assert element_text(html, "standard-3.2") == "3.2 Planning Requires improvement"
    assert element_text(html, "standard-3.4") == "3.4 Joint working Outstanding"
    assert element_text(html, "standard-3.3") == (
        "3.3 Implementation and delivery Inadequate Proposed by the key questions: Requires improvement "
        "Professional discretion used. Under 3.3 professional discretion was exercised because of cases close to "
        "the grade boundary. Overall performance for implementation and delivery was therefore scored inadequate."
    )
    for caption in ("1 Organisational delivery", "2 Court disposals", "3 Out-of-court disposals"):
        assert f'<caption class="govuk-table__caption govuk-table__caption--m">{caption}</caption>' in html
    # Every rating is a word in a tag.
    # Overall, nine standards and the history row.
    assert html.count('<strong class="govuk-tag govuk-tag--red rating-tag">Inadequate</strong>') == 11
    assert '<strong class="govuk-tag govuk-tag--turquoise rating-tag">Good</strong>' in html
    assert "Covering Swansea, Neath Port Talbot, Bridgend at its latest inspection." in html


def test_scorecard_western_bay_key_questions_against_the_bands(client):
    html = scorecard(client, "western-bay")
    assert (
        "the % of inspected cases answered yes falls in a band (80% and over Outstanding; 65% to 79% Good; "
        "50% to 64% Requires improvement; under 50% Inadequate)" in html
    )
    assert element_text(html, "question-2.1.3") == (
        "2.1.3 Does assessment sufficiently analyse how to keep other people safe? 37% Inadequate "
        "Lowest: sets the rating"
    )
    assert element_text(html, "question-2.1.1") == (
        "2.1.1 Does assessment sufficiently analyse how to support the child or young person's desistance? 65% Good"
    )
    # 3.3: the lowest question proposes Requires improvement; the inspectors rated Inadequate by discretion.
    assert element_text(html, "question-3.3.2").endswith(
        "50% Requires improvement Lowest: proposes Requires improvement"
    )
    assert "sets the rating" not in element_text(html, "question-3.3.2")
    assert html.count("Lowest: sets the rating") == 7  # 2.1-2.4, 3.1, 3.2, 3.4; not 3.3
    # The bar is drawn against the framework's bands and only repeats the printed figure.
    assert '<div class="kq-bar__fill kq-bar__fill--lowest" style="width: 37%"></div>' in html
    assert html.count('<div class="kq-bar" aria-hidden="true">') == 23
    for band in ("left: 80%", "left: 65%", "left: 50%"):
        assert html.count(f'style="{band}"') == 23


def test_scorecard_bands_are_the_framework_data_not_code(client):
    band = PercentBand.objects.get(framework__code="standards-2018", grade__name="Good")
    band.min_percent = 70
    band.save()  # as the admin saves it: the history moves on and every process reads the framework again
    html = scorecard(client, "western-bay")
    assert "65% to 79% Good" not in html
    assert "70% to 79% Good; 50% to 69% Requires improvement" in html
    assert element_text(html, "question-2.1.1").endswith("65% Requires improvement")
    assert html.count('style="left: 70%"') == 23
    assert 'style="left: 65%"' not in html


def test_scorecard_warwickshire_shows_unknown_as_not_known(client):
    html = scorecard(client, "warwickshire")
    assert element_text(html, "overall-rating") == "Good"
    assert "Publication date not known (fieldwork started October 2018)" in html
    text = element_text(html, "question-3.3.1")
    assert text.startswith(
        "3.3.1 Does the implementation and delivery of services effectively support the child or young person's "
        "desistance? Not known Why not known Lost to OCR: Annex 2 lost the whole right-hand column"
    )
    assert "kq-bar__fill" not in html.split('id="question-3.3.1"')[1].split("</tr>")[0]
    assert "A key question's % is not known, so the key questions propose no rating" in html
    assert element_text(html, "question-3.4.1").endswith("50% Requires improvement Lowest: sets the rating")
    assert element_text(html, "fact-1") == (
        "First-time entrants Not known Not known Not known October 2016 to September 2017 "
        "First-time entrants, October 2016 to September 2017, Youth Justice Board (YJB)."
    )
    assert element_text(html, "fact-2").startswith("Reoffending rate Not known England and Wales Not known")


def test_scorecard_swindon_shows_theme_ratings_and_scores(client):
    html = scorecard(client, "swindon")
    assert element_text(html, "overall-rating") == (
        "This Full Joint Inspection gives no overall rating: each theme is rated on its own."
    )
    assert (
        element_text(html, "standard-4") == "4 Ensuring that the sentence is served Good 91% of work done well enough"
    )
    assert element_text(html, "standard-1") == "1 Reducing reoffending Satisfactory 74% of work done well enough"
    assert element_text(html, "standard-5").startswith("5 Governance and partnerships Unsatisfactory Note: The FJI")
    assert element_text(html, "standard-5").endswith("No score")
    assert "Key questions against the rating bands" not in html
    assert element_text(html, "history-1") == (
        "June 2015 Full Joint Inspection (2015) No overall rating in this framework "
        "Full Joint Inspection of Youth Offending Work in Swindon, June 2015"
    )


def test_scorecard_northamptonshire_says_it_gives_no_ratings(client):
    html = scorecard(client, "northamptonshire")
    assert element_text(html, "overall-rating") == "This Short Quality Screening gives no ratings."
    assert "rating-tag" not in html
    strengths = element_text(html, "strengths-whole-service")
    assert strengths.startswith(
        "The whole service Strengths PSRs and reports provided to the youth offender panel were good."
    )
    assert strengths.endswith(
        "Areas for improvement Case managers should be more receptive to changes in circumstances so that reviews "
        "of assessments and plans are undertaken when required, and are fully effective. Management oversight "
        "should ensure the "
        "timeliness, quality and effectiveness of reviews."
    )
    section = html[html.index('id="strengths-whole-service"') : html.index('id="history"')]
    assert section.count("<li>") == 6  # 4 strengths, 2 areas for improvement
    assert element_text(html, "history-1").startswith("11 May 2015 Short Quality Screening (2015) No ratings")


def test_scorecard_western_bay_recommendations_grouped_by_addressee(client):
    html = scorecard(client, "western-bay")
    assert "The report makes 14 recommendations to 5 addressees." in html
    addressees = [element_text(html, f"addressee-{number}") for number in range(1, 6)]
    assert addressees == [
        "Western Bay Youth Justice and Early Intervention Service (WBYJEIS) Management Board",
        "The WBYJEIS Manager",
        "The directors of children's services",
        "The local authority education services",
        "Abertawe Bro Morgannwg University Health Board (ABMUHB)",
    ]
    numbers = [
        html[html.index(f'id="recommendations-{group}"') :].split("</ol>")[0].count("<li value=")
        for group in range(1, 6)
    ]
    assert numbers == [6, 2, 2, 3, 1]
    assert '<li value="14">provide relevant and timely physical, sexual, emotional and mental health services' in html


def test_scorecard_western_bay_key_facts_against_their_comparators(client):
    html = scorecard(client, "western-bay")
    assert element_text(html, "fact-1") == (
        "First-time entrants 120 per 100,000 England and Wales 273 per 100,000 October 2016 to September 2017 "
        "Youth Justice Board. (2018). First-Time Entrants, October 2016 to September 2017."
    )
    assert element_text(html, "fact-2").startswith("Reoffending rate 47.9% England and Wales 41.6% July 2015 to June")
    assert element_text(html, "fact-9").startswith("Population (Swansea) 245,480 Not known Not known Not known")


def test_scorecard_western_bay_strengths_and_areas_by_domain(client):
    html = scorecard(client, "western-bay")
    domain_3 = element_text(html, "strengths-domain-3")
    assert domain_3.startswith(
        "3 Out-of-court disposals Strengths There is a well-established scheme, leading to appropriate decision-making."
    )
    assert "Areas for improvement" in domain_3
    assert element_text(html, "strengths-domain-1").startswith(
        "1 Organisational delivery Strengths There are committed staff and management teams"
    )
    assert "Key findings" not in element_text(html, "strengths-and-areas")


def test_scorecard_names_the_source_report(client):
    html = scorecard(client, "western-bay")
    western_bay = Inspection.objects.get(service__slug="western-bay")
    assert element_text(html, "source-report") == (
        "Title An inspection of youth offending services in Western Bay Published by HM Inspectorate of Probation"
    )
    assert f'href="{reverse("inspection_detail", args=[western_bay.pk])}"' in html


# History and what changed -------------------------------------------------------------------------------------------


def test_scorecard_with_one_inspection_has_nothing_to_compare(client):
    html = scorecard(client, "western-bay")
    assert element_text(html, "change") == (
        "This is the only inspection of Western Bay Youth Justice and Early Intervention Service here: "
        "there is no earlier one to compare it with."
    )


def test_scorecard_compares_with_the_previous_inspection_on_the_same_framework(client):
    western_bay_improved()
    html = scorecard(client, "western-bay")
    assert element_text(html, "overall-rating") == "Requires improvement"
    assert element_text(html, "overall-change") == "Improved"
    change = element_text(html, "change")
    assert change.startswith(
        "Compared with the previous inspection: March 2019, Youth offending service inspection standards (2018). "
        "Overall, March 2019 Inadequate Overall, June 2021 Requires improvement Overall change Improved"
    )
    assert "The frameworks differ" not in change
    assert element_text(html, "change-2.1") == "2.1 Assessment Inadequate Good Improved"
    assert element_text(html, "change-3.4") == "3.4 Joint working Outstanding Outstanding No change"
    assert element_text(html, "history-1").startswith("June 2021 Youth offending service inspection standards (2018)")
    assert element_text(html, "history-2").startswith("March 2019 Youth offending service inspection standards (2018)")


def test_scorecard_compares_only_overall_ratings_across_frameworks(client):
    # An earlier Western Bay inspection under the FJI framework (a copy of Swindon's report).
    load_another_inspection(
        "swindon",
        service=report_document("western-bay")["service"],
        published="2015-06",
    )
    html = scorecard(client, "western-bay")
    change = element_text(html, "change")
    assert change == (
        "Compared with the previous inspection: June 2015, Full Joint Inspection (2015). The frameworks differ: the "
        "inspection of June 2015 used the Full Joint Inspection (2015) framework and the latest the Youth offending "
        "service inspection standards (2018) framework, so their ratings cannot be compared standard by standard. "
        "Overall, June 2015 No overall rating in this framework Overall, March 2019 Inadequate"
    )
    assert 'id="change-2.1"' not in html
    assert element_text(html, "history-2").startswith("June 2015 Full Joint Inspection (2015)")


def test_scorecard_declined_standards_and_unrated_standards(client):
    # A later Swindon FJI inspection: theme 4 down from Good to Satisfactory; FJI has no overall rating.
    document = report_document("swindon")
    for judgement in document["judgements"]:
        if judgement["code"] == "4":
            judgement["rating"] = "Satisfactory"
    load_another_inspection("swindon", published="2016-06", judgements=document["judgements"])
    html = scorecard(client, "swindon")
    assert element_text(html, "change-4") == "4 Ensuring that the sentence is served Good Satisfactory Declined"
    assert element_text(html, "change-1") == "1 Reducing reoffending Satisfactory Satisfactory No change"
    assert 'id="overall-change"' not in html


# Drafts ---------------------------------------------------------------------------------------------------------------


def test_scorecard_of_a_draft_only_service_is_refused_to_all_but_inspectors(client, analyst, manager, inspector):
    Inspection.objects.filter(service__slug="bromley").update(status="draft")
    url = reverse("service_scorecard", args=["bromley"])
    assert client.get(url).status_code == 404  # anonymous
    for user in (analyst, manager):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(inspector)
    html = scorecard(client, "bromley")
    assert "This inspection of May 2015 is a draft: only inspectors can see it until it is published." in html
    assert element_text(html, "history-1").startswith("May 2015 Draft Full Joint Inspection (2015)")


def test_scorecard_history_lists_only_visible_inspections(client, analyst, manager, inspector):
    draft = western_bay_improved(status="draft")
    for user in (None, analyst, manager):
        if user is not None:
            client.force_login(user)
        html = scorecard(client, "western-bay")
        assert element_text(html, "overall-rating") == "Inadequate"
        assert "history-2" not in html
        assert "June 2021" not in html
        assert f'href="{reverse("inspection_detail", args=[draft.pk])}"' not in html
        assert "is a draft" not in html
    client.force_login(inspector)
    html = scorecard(client, "western-bay")
    assert element_text(html, "overall-rating") == "Requires improvement"
    assert "This inspection of June 2021 is a draft" in html
    assert element_text(html, "history-1").startswith("June 2021 Draft")
    assert element_text(html, "history-2").startswith("March 2019 Youth")


# Refusals, garbage and queries -------------------------------------------------------------------------------------


def test_scorecard_unknown_service_is_not_found(client):
    assert client.get(reverse("service_scorecard", args=["no-such-service"])).status_code == 404
    assert client.get("/services/" + "x" * 5000 + "/").status_code == 404


def test_scorecard_ignores_query_parameters(client):
    response = client.get(reverse("service_scorecard", args=["western-bay"]), {"page": "%00\x00" * 100, "x": "1e999"})
    assert response.status_code == 200
    assert element_text(response.content.decode(), "overall-rating") == "Inadequate"


def test_scorecard_runs_a_fixed_number_of_queries(client, analyst, django_assert_num_queries):
    url = reverse("service_scorecard", args=["western-bay"])
    with django_assert_num_queries(8 + 7):  # the first request reads the framework catalogue (seven queries)
        client.get(url)
    with django_assert_num_queries(8):  # then one query checks that the kept catalogue is current
        client.get(url)
    with django_assert_num_queries(8):
        client.get(reverse("service_scorecard", args=["warwickshire"]))
    western_bay_improved()  # a second inspection: more rows, the same queries
    with django_assert_num_queries(8):
        assert "change-2.1" in client.get(url).content.decode()
    client.force_login(analyst)
    client.get(url)  # warm the session
    with django_assert_num_queries(11):  # and the session, the user and the user's permissions (one query)
        client.get(url)
