"""The admin lists at national scale (inspections/admin_lists.py and the lists of inspections/admin.py): a page read
by its ids shows the rows Django's own paging shows, the key facts list's filters come from the measures' and
units' indexes, and the key facts and services searches find what Django's search of their fields found."""

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote as admin_quote
from django.contrib.admin.views.main import ChangeList
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from findings.admin import FindingAdmin, RecommendationAdmin
from inspections.admin import InspectionAdmin, KeyFactAdmin
from inspections.admin_lists import (
    AtScaleChangeList,
    AtScaleList,
    CappedCountPaginator,
    KeysOncePaginator,
    distinct_values,
    search_words,
)
from inspections.models import Inspection, KeyFact, Service
from tests.conftest import draft_reinspection

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.usefixtures("loaded_reports")]
INSPECTIONS = reverse("admin:inspections_inspection_changelist")
KEY_FACTS = reverse("admin:inspections_keyfact_changelist")
SERVICES = reverse("admin:inspections_service_changelist")
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
        # The inspections list's sorts (report name, date, lead inspector, each way), its own order, and by
        # rating (no longer offered, still read by ids when asked for).
        (InspectionAdmin, INSPECTIONS, ["", "1", "-1", "2", "-2", "6", "-6", "2.1", "5", "-5"]),
        (KeyFactAdmin, KEY_FACTS, ["", "2", "-4"]),
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
    for column in ["service_name", "when", "lead_inspector"]:
        assert f'class="sortable column-{column}"' in html
    # Framework, status and rating: a few values each, chosen by the filters.
    for column in ["framework", "status", "overall"]:
        assert f'<th scope="col" class="column-{column}">' in html


def test_a_column_s_values_are_read_from_its_index_once_each_in_order():
    rows = KeyFact.objects.all()
    expected = list(rows.order_by("measure").values_list("measure", flat=True).distinct())
    assert len(expected) > 5
    assert distinct_values(rows, "measure") == expected
    published = KeyFact.objects.filter(inspection__status="published", unit="%")
    assert distinct_values(published, "measure") == list(
        published.order_by("measure").values_list("measure", flat=True).distinct()
    )
    assert distinct_values(KeyFact.objects.none().filter(pk=-1), "unit") == []
    with pytest.raises(ValueError, match="value may be null"):
        distinct_values(rows, "value")


def filter_choices(response, title: str) -> list[str]:
    [spec] = [spec for spec in response.context["cl"].filter_specs if spec.title == title]
    return list(spec.lookup_choices)


def test_the_key_facts_filters_offer_the_values_of_the_rows_the_user_may_see(client, inspector, analyst, draft):
    client.force_login(inspector)
    response = client.get(KEY_FACTS)
    measures = filter_choices(response, "measure")
    assert measures == list(KeyFact.objects.order_by("measure").values_list("measure", flat=True).distinct())
    assert "draft_only_measure" in measures
    assert filter_choices(response, "unit") == ["%", "count", "per 1,000", "per 1,000 households", "per 100,000"]
    assert ">draft_only_measure</a>" in response.content.decode()

    client.force_login(analyst)
    assert "draft_only_measure" not in filter_choices(client.get(KEY_FACTS), "measure")
    filtered = client.get(KEY_FACTS, {"measure__exact": "custody_rate"})
    assert {row.measure for row in filtered.context["cl"].result_list} == {"custody_rate"}
    assert filtered.context["cl"].result_count == KeyFact.objects.filter(measure="custody_rate").count()


def django_search(queryset, words: list[str], fields: list[str]):
    """What Django's admin search of these fields finds: every word, each in any of the fields."""
    for word in words:
        matches = Q()
        for name in fields:
            matches |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(matches)
    return queryset


@pytest.mark.parametrize(
    "term",
    [
        "reoffending",  # measures only
        "bay",  # a service's name only
        "on",  # both: population_total and Swindon
        "western reoffending",  # every word
        '"first_time"',  # a quoted word, part of a measure's name
        "RATE",  # in any case
        "nowhere",
    ],
)
def test_the_key_facts_search_finds_a_measure_or_a_service_by_part_of_its_name(client, inspector, term):
    client.force_login(inspector)
    response = client.get(KEY_FACTS, {"q": term})
    expected = django_search(KeyFact.objects.all(), search_words(term), ["measure", "inspection__service__name"])
    assert response.context["cl"].result_count == expected.count()
    assert listed(response) == list(expected.order_by("inspection", "position", "-pk").values_list("pk", flat=True))


def test_the_key_facts_search_reads_no_source(client, inspector):
    # A change: the source (a dozen citations, each on tens of thousands of rows at national scale) is no longer
    # searched.
    assert KeyFact.objects.filter(source__icontains="Ministry of Justice").exists()
    client.force_login(inspector)
    response = client.get(KEY_FACTS, {"q": "Ministry"})
    assert response.context["cl"].result_count == 0
    assert "Part of a measure&#x27;s name (&#x27;reoffending&#x27;) or of a service&#x27;s name" in (
        response.content.decode()
    )


def test_the_key_facts_list_counts_no_more_than_the_cap_a_page_of_fifty(client, inspector, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 10)
    client.force_login(inspector)
    response = client.get(KEY_FACTS)
    html = response.content.decode()
    assert KeyFact.objects.count() > 10
    assert "More than 10 key facts: filter or search to narrow them." in html
    assert " total)" not in html  # no second, full count
    monkeypatch.setattr(CappedCountPaginator, "cap", 10_000)
    assert len(listed(client.get(KEY_FACTS))) == min(50, KeyFact.objects.count())


def test_a_capped_list_pages_to_its_cap_and_says_more_than_in_its_search_box(client, inspector, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 6)
    monkeypatch.setattr(KeyFactAdmin, "list_per_page", 3)
    client.force_login(inspector)
    response = client.get(KEY_FACTS, {"q": "rate"})
    html = " ".join(response.content.decode().split())
    assert KeyFact.objects.filter(measure__icontains="rate").count() > 6
    assert response.context["cl"].paginator.num_pages == 2  # the pages of the first six; none for the seventh
    assert '<span class="small quiet">More than 6 results (<a href="?">Show all</a>)</span>' in html
    assert "More than 6 key facts: filter or search to narrow them." in html
    assert '<a href="?p=2&amp;q=rate" class="end">2</a>' in html and "p=3" not in html


def test_the_inspections_list_counts_a_search_as_far_as_the_cap_and_itself_in_full(
    client, inspector, draft, monkeypatch
):
    monkeypatch.setattr(KeysOncePaginator, "cap", 2)
    client.force_login(inspector)
    searched = client.get(INSPECTIONS, {"q": "o"})  # every report's service has an "o" in its name
    html = " ".join(searched.content.decode().split())
    assert len(listed(searched)) == Inspection.objects.count() > 2
    assert '<span class="small quiet">More than 2 results' in html
    assert "More than 2 inspections: filter or search to narrow them." in html
    whole = " ".join(client.get(INSPECTIONS).content.decode().split())
    assert f"{Inspection.objects.count()} inspections" in whole and "More than" not in whole


@pytest.mark.parametrize("per_page", [1, 50])  # a page of several, and the whole list on one page
def test_a_search_is_run_once_for_its_count_and_its_page(client, inspector, monkeypatch, per_page):
    monkeypatch.setattr(InspectionAdmin, "list_per_page", per_page)
    client.force_login(inspector)
    page = "2" if per_page == 1 else "1"
    with CaptureQueriesContext(connection) as captured:
        response = client.get(INSPECTIONS, {"q": "sw", "o": "-2", "p": page})  # Swindon, and Swansea's authority
    expected = django_search(Inspection.objects.all(), ["sw"], InspectionAdmin.search_fields).distinct()
    newest_first = list(expected.order_by("-published_on", "-id").values_list("pk", flat=True))
    assert len(newest_first) >= 2
    assert listed(response) == (newest_first[1:2] if per_page == 1 else newest_first)
    assert response.context["cl"].result_count == len(newest_first)
    statements = [query["sql"].upper() for query in captured.captured_queries]
    # The search in one query, the keys' (the names, slug, report's name, lead inspector, title, authorities),
    # no count of its own, and the page's rows read by their ids.
    (searched,) = [sql for sql in statements if "%SW%" in sql]
    assert searched.count("%SW%") >= 5 and "LIMIT 1001" in searched
    assert not [sql for sql in statements if sql.startswith("SELECT COUNT(") and "INSPECTIONS_INSPECTION" in sql]
    (rows,) = [sql for sql in statements if '"INSPECTIONS_INSPECTION"."NOTES"' in sql]
    assert "%SW%" not in rows


def results_table(response) -> str:
    html = response.content.decode()
    start = html.index('<table id="result_list">')
    return html[start : html.index("</table>", start)]


@pytest.mark.parametrize(
    ("url", "query"),
    [
        (INSPECTIONS, {}),
        (INSPECTIONS, {"q": "bay", "o": "-2"}),
        (INSPECTIONS, {"status__exact": "published", "_popup": "1", "_to_field": "id"}),
        (KEY_FACTS, {"q": "reoffending"}),
        (FINDINGS, {"kind__exact": "strength"}),
        (RECOMMENDATIONS, {"q": "plan"}),
        (SERVICES, {"nation__exact": "Wales"}),
    ],
)
def test_the_rows_links_written_once_are_django_s(client, inspector, monkeypatch, url, query):
    client.force_login(inspector)
    ours = client.get(url, query)
    assert ours.status_code == 200 and isinstance(ours.context["cl"], AtScaleChangeList)
    monkeypatch.setattr(AtScaleList, "get_changelist", lambda self, request, **kwargs: ChangeList)
    django = client.get(url, query)
    assert type(django.context["cl"]) is ChangeList
    assert results_table(ours) == results_table(django)
    if query and "_popup" not in query:  # the list's filters go with each link, to come back to the same list
        assert results_table(ours).count("?_changelist_filters=") == len(ours.context["cl"].result_list) > 0


def test_a_row_key_is_quoted_in_its_link_as_django_quotes_it(rf, inspector):
    request = rf.get(INSPECTIONS, {"q": "x"})
    request.user, request.resolver_match = inspector, resolve(INSPECTIONS)
    changelist = InspectionAdmin(Inspection, admin.site).get_changelist_instance(request)
    row = Inspection(pk=1)
    row.pk = 'a/b_c?d é"'  # as a text key would be: every character the admin's and the URL's quoting change
    assert changelist.url_for_result(row) == (
        reverse("admin:inspections_inspection_change", args=[admin_quote(row.pk)]) + "?_changelist_filters=q%3Dx"
    )


@pytest.mark.parametrize("term", ["bay", "swansea", "western bay", "swindon-", "BROM", "zzz"])
def test_the_services_search_finds_a_name_a_slug_or_an_authority(client, inspector, term):
    client.force_login(inspector)
    response = client.get(SERVICES, {"q": term})
    expected = django_search(Service.objects.all(), search_words(term), ["name", "slug", "local_authorities__name"])
    assert listed(response) == list(expected.distinct().order_by("name", "-pk").values_list("pk", flat=True))
    assert " total)" not in response.content.decode()  # no second count of every service


def test_search_words_are_django_s(client):
    assert search_words("western \"bay youth\" 'x'  ") == ["western", "bay youth", "x"]
    assert search_words("   ") == []
