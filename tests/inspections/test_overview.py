"""The national overview: counts, the rating distributions per framework (chart and table), latest publications."""

import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from inspections.models import Inspection, InspectionStatus
from inspections.services import documents_load
from ratings.models import Judgement
from ratings.selectors import framework_catalogues
from tests.conftest import report_document

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.usefixtures("loaded_reports")]
URL = reverse("overview")


class Tables(HTMLParser):
    """Every <table> of a page as {caption: [[cell text, ...], ...]}, header rows included."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption = self._rows = self._cell = None
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in {"td", "th"} and self._rows is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.tables[self._caption.strip()] = self._rows
            self._rows = None
        elif tag == "caption":
            self._in_caption = False
        elif tag in {"td", "th"} and self._cell is not None:
            self._rows[-1].append(" ".join(self._cell.split()))
            self._cell = None

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data
        elif self._cell is not None:
            self._cell += data


def tables(response) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(response.content.decode())
    return parser.tables


def text(response) -> str:
    """The page's main content as plain text, one space between words."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


STANDARDS_2018 = (
    "Youth offending service inspection standards (2018): number of services by rating in their latest inspection"
)
FJI = "Full Joint Inspection (2015): number of services by rating in their latest inspection"
LATEST = "The 5 most recent inspections"


def test_overview_counts_every_service_and_inspection_for_an_inspector(client, inspector):
    client.force_login(inspector)
    response = client.get(URL)
    assert response.status_code == 200
    overview = response.context["overview"]
    assert (overview.services, overview.inspections) == (5, 5)
    assert "5 services inspected" in text(response)
    assert "5 inspections" in text(response)


@pytest.mark.parametrize(("role", "expected"), [(None, 4), ("analyst", 4), ("manager", 4), ("inspector", 5)])
def test_overview_counts_drafts_only_for_inspectors(client, request, role, expected):
    Inspection.objects.filter(service__slug="bromley").update(status=InspectionStatus.DRAFT)
    if role:
        client.force_login(request.getfixturevalue(role))
    response = client.get(URL)
    overview = response.context["overview"]
    assert (overview.services, overview.inspections) == (expected, expected)
    assert f"{expected} services inspected" in text(response)
    fji = tables(response)[FJI]
    # Bromley was Poor on theme 1, Swindon Satisfactory: a hidden Bromley leaves Swindon alone.
    assert fji[1] == ["1 Reducing reoffending", "0", "1", "0", "1" if role == "inspector" else "0", "0"]


def test_overview_2018_overall_distribution_is_inadequate_1_and_good_1(client, analyst):
    client.force_login(analyst)
    response = client.get(URL)
    rows = tables(response)[STANDARDS_2018]
    assert rows[0] == ["Rating of", "Outstanding", "Good", "Requires improvement", "Inadequate", "Not rated"]
    assert rows[1] == ["Overall", "0", "1", "0", "1", "0"]  # Warwickshire Good, Western Bay Inadequate
    assert rows[2] == ["1.1 Governance and leadership", "0", "1", "0", "1", "0"]
    assert rows[6] == ["2.1 Assessment", "1", "0", "0", "1", "0"]  # Warwickshire Outstanding, Western Bay Inadequate
    assert rows[10] == ["3.1 Assessment", "0", "2", "0", "0", "0"]
    assert rows[13] == ["3.4 Joint working", "1", "0", "1", "0", "0"]
    assert len(rows) == 1 + 1 + 12


def test_overview_chart_draws_the_same_numbers_as_the_table(client):
    response = client.get(URL)
    [standards_2018, fji, sqs] = response.context["overview"].frameworks
    assert standards_2018.framework.code == "standards-2018"
    assert [(c.rating, c.count, c.bar_percent) for c in standards_2018.overall.chart] == [
        ("Outstanding", 0, 0),
        ("Good", 1, 40),
        ("Requires improvement", 0, 0),
        ("Inadequate", 1, 40),
    ]
    html = response.content.decode()
    chart = html[html.index("Overall rating</p>") : html.index("Rating of each standard or theme")]
    bars = re.findall(
        r'>([\w ]+)</strong>\s*</span>\s*<span><span class="chart-bar" style="width: (\d+)%"></span>'
        r"\s*<span[^>]*>(\d+)<",
        chart,
    )
    assert bars == [
        ("Outstanding", "0", "0"),
        ("Good", "40", "1"),
        ("Requires improvement", "0", "0"),
        ("Inadequate", "40", "1"),
    ]
    assert 'aria-hidden="true"' in chart  # the table carries the numbers for screen readers
    assert (fji.framework.code, fji.overall, fji.services) == ("fji-2015", None, 2)
    assert (sqs.framework.code, sqs.rated, sqs.standards) == ("sqs-2015", False, [])


def test_overview_fji_has_theme_ratings_and_no_overall_rating(client):
    response = client.get(URL)
    rows = tables(response)[FJI]
    assert rows[0] == ["Rating of", "Good", "Satisfactory", "Unsatisfactory", "Poor", "Not rated"]
    assert rows[1:] == [
        ["1 Reducing reoffending", "0", "1", "0", "1", "0"],
        ["2 Protecting the public", "0", "0", "1", "1", "0"],
        ["3 Protecting the child or young person", "0", "0", "2", "0", "0"],
        ["4 Ensuring that the sentence is served", "1", "1", "0", "0", "0"],
        ["5 Governance and partnerships", "0", "0", "1", "1", "0"],
        ["6 Interventions to reduce reoffending", "0", "1", "0", "1", "0"],
    ]
    page = text(response)
    assert "Full Joint Inspection (2015) 2 services whose latest inspection used this framework." in page
    assert "This framework gives no overall rating: only its themes are rated." in page
    assert "Short Quality Screening (2015) 1 service whose latest inspection used this framework. " in page
    assert "This framework gives no ratings." in page


def test_overview_unrated_standards_are_counted_as_not_rated(client):
    Judgement.objects.filter(inspection__service__slug="western-bay", standard__code="2.1").update(rating=None)
    rows = tables(client.get(URL))[STANDARDS_2018]
    assert rows[6] == ["2.1 Assessment", "1", "0", "0", "0", "1"]


def test_overview_lists_the_five_latest_publications_newest_first(client):
    response = client.get(URL)
    rows = tables(response)[LATEST]
    assert rows == [
        ["Service", "Published", "Framework", "Overall rating"],
        [
            "Western Bay Youth Justice and Early Intervention Service",
            "March 2019",
            "Youth offending service inspection standards (2018)",
            "Inadequate",
        ],
        [
            "Warwickshire Youth Justice Service",
            "fieldwork October 2018",
            "Youth offending service inspection standards (2018)",
            "Good",
        ],
        [
            "Swindon Youth Offending Team",
            "June 2015",
            "Full Joint Inspection (2015)",
            "No overall rating in this framework",
        ],
        [
            "Northamptonshire Youth Offending Service",
            "11 May 2015",
            "Short Quality Screening (2015)",
            "No ratings in this framework",
        ],
        [
            "Bromley Youth Offending Service",
            "May 2015",
            "Full Joint Inspection (2015)",
            "No overall rating in this framework",
        ],
    ]
    html = response.content.decode()
    western_bay = Inspection.objects.get(service__slug="western-bay")
    assert f'<a class="govuk-link" href="/inspections/{western_bay.pk}/">March 2019</a>' in html
    assert '<a class="govuk-link" href="/services/western-bay/">Western Bay Youth Justice' in html
    assert '<strong class="govuk-tag govuk-tag--red rating-tag">Inadequate</strong>' in html


def test_overview_uses_each_service_latest_visible_inspection(client, analyst, inspector):
    later = report_document("western-bay")
    later.update(status="draft", published="2022-01", overall_rating=None)
    later["judgements"] = [{**j, "rating": "Good"} if j["code"] == "2.1" else j for j in later["judgements"]]
    later["key_questions"] = [
        {**k, "percent_yes": 70} if k["code"].startswith("2.1.") else k for k in later["key_questions"]
    ]
    documents_load(documents=[("later.json", later)])

    client.force_login(analyst)
    response = client.get(URL)
    assert (response.context["overview"].services, response.context["overview"].inspections) == (5, 5)
    assert tables(response)[STANDARDS_2018][6] == ["2.1 Assessment", "1", "0", "0", "1", "0"]
    assert "January 2022" not in text(response)

    client.force_login(inspector)
    response = client.get(URL)
    assert (response.context["overview"].services, response.context["overview"].inspections) == (5, 6)
    assert tables(response)[STANDARDS_2018][6] == ["2.1 Assessment", "1", "1", "0", "0", "0"]
    assert tables(response)[LATEST][1][:2] == [
        "Western Bay Youth Justice and Early Intervention Service Draft",
        "January 2022",
    ]


def test_overview_marks_the_active_navigation_item(client):
    html = client.get(URL).content.decode()
    assert '<strong class="govuk-service-navigation__active-fallback">Overview</strong>' in html
    assert html.count("<h1") == 1


@pytest.mark.parametrize(("role", "cached", "computed"), [(None, 2, 9), ("analyst", 5, 12), ("inspector", 5, 12)])
def test_overview_runs_a_fixed_number_of_queries(client, request, django_assert_num_queries, role, cached, computed):
    """Computed: the frameworks' version, the data's token and seven reads; cached: the version and the token
    (and the session, the user and the user's permissions when logged in)."""
    if role:
        client.force_login(request.getfixturevalue(role))
    cache.clear()
    framework_catalogues()  # every framework's catalogue kept in the process, as after the first page anywhere
    with django_assert_num_queries(computed):
        assert client.get(URL).status_code == 200
    with django_assert_num_queries(cached):
        assert client.get(URL).status_code == 200
    # More inspections (a later one for Western Bay) do not add a query; the change is seen at once.
    later = report_document("western-bay")
    later.update(published="2022-01")
    documents_load(documents=[("later.json", later)])
    with django_assert_num_queries(computed):
        assert "March 2022" not in text(client.get(URL))
    with django_assert_num_queries(cached):
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda: Judgement.objects.filter(inspection__service__slug="western-bay", standard__code="2.1").update(
                rating=None
            ),
            id="judgement-updated-without-signals",
        ),
        pytest.param(
            lambda: Judgement.objects.filter(inspection__service__slug="western-bay", standard__code="2.1").delete(),
            id="judgement-deleted",
        ),
        pytest.param(lambda: _raw_sql("UPDATE ratings_judgement SET rating_id = NULL WHERE id = %s"), id="raw-sql"),
    ],
)
def test_overview_is_never_served_from_the_cache_after_the_judgements_change(client, change):
    assert tables(client.get(URL))[STANDARDS_2018][6] == ["2.1 Assessment", "1", "0", "0", "1", "0"]
    assert tables(client.get(URL))[STANDARDS_2018][6] == ["2.1 Assessment", "1", "0", "0", "1", "0"]  # cached
    change()
    assert tables(client.get(URL))[STANDARDS_2018][6] == ["2.1 Assessment", "1", "0", "0", "0", "1"]


def test_overview_is_never_served_from_the_cache_after_an_inspection_is_withdrawn(client, analyst):
    client.force_login(analyst)
    assert client.get(URL).context["overview"].services == 5
    Inspection.objects.filter(service__slug="western-bay").update(status=InspectionStatus.DRAFT)
    assert client.get(URL).context["overview"].services == 4


def _raw_sql(sql: str) -> None:
    judgement = Judgement.objects.get(inspection__service__slug="western-bay", standard__code="2.1")
    with connection.cursor() as cursor:
        cursor.execute(sql, [judgement.pk])
