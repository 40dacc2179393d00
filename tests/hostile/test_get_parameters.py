"""Property-based: hostile values in every GET parameter of every list, search and export never give a 5xx.

The parameters come from the code, not from a list written here: the services list's FilterSet, the findings
search form, the comparison's ``services`` and, for every admin changelist, its filters' own parameters plus
search (``q``), ordering (``o``) and page (``p``). A filter added later is thrown at automatically.
"""

from urllib.parse import parse_qsl, quote, quote_from_bytes, urlsplit

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.contrib.auth import get_user
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from findings.forms import FindingSearchForm
from findings.selectors import finding_search_choices
from inspections.models import Inspection, Service
from inspections.selectors import service_filter
from ratings.selectors import comparable_services
from tests.hostile.conftest import body
from tests.hostile.strategies import BESIDE_GOOD_VALUES, CLASSIC, hostile_query

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.usefixtures("loaded_reports")]

PUBLIC_STATUSES = {200, 400}
# A list, a refused lookup (302 to ?e=1), a bad request, or no permission to view this model.
ADMIN_STATUSES = {200, 302, 400, 403}


def form_parameters(form) -> dict[str, list[str]]:
    """Each field of a form (name -> its offered values, as strings), so hostile values mix with real ones."""
    parameters = {}
    for name, field in form.fields.items():
        choices = getattr(field, "choices", [])
        parameters[name] = [str(value) for value, _ in choices if value not in ("", None)]
    return parameters


def service_list_parameters(user) -> dict[str, list[str]]:
    filterset = service_filter(user=user, params={})
    return {**form_parameters(filterset.form), "format": ["html", "csv", "json"], "page": ["1", "2"]}


def finding_search_parameters(user) -> dict[str, list[str]]:
    parameters = form_parameters(FindingSearchForm(None, choices=finding_search_choices(), user=user))
    # The service is a text box (a name or a slug), not a list: mix the services' own slugs and names in.
    services = Service.objects.order_by("slug").values_list("slug", "name")
    parameters["service"] = [value for slug_and_name in services for value in slug_and_name]
    return parameters


def compare_parameters(user) -> dict[str, list[str]]:
    """Slugs first (the sweep's good value), then names and parts of names: a comparison takes both."""
    services = list(comparable_services(user=user).values_list("slug", "name"))
    return {
        "services": [slug for slug, _ in services]
        + [name for _, name in services]
        + [name.split()[0].lower() for _, name in services]
    }


def changelist_parameters(model_admin, user) -> dict[str, list[str]]:
    """A changelist's filter parameters with the values its filter links offer, plus q, o and p."""
    request = RequestFactory().get("/")
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    parameters: dict[str, list[str]] = {SEARCH_VAR: ["Swindon", "2.1"], ORDER_VAR: ["1", "-2", "1.-3"], PAGE_VAR: []}
    for spec in changelist.filter_specs:
        for name in spec.expected_parameters():
            parameters.setdefault(name, [])
        for choice in spec.choices(changelist):
            for name, value in parse_qsl(urlsplit(choice["query_string"]).query):
                parameters.setdefault(name, []).append(value)
    # A list with no date hierarchy (too costly at scale) may still accept its date lookups from a URL.
    date_field = model_admin.date_hierarchy or getattr(model_admin, "date_lookups_checked", None)
    if date_field:
        for part in ("year", "month", "day"):
            parameters[f"{date_field}__{part}"] = ["2015", "5", "11"]
    return parameters


def user_of(client):

    return get_user(client)


def test_the_parameter_lists_follow_the_code(inspector):
    """The derived lists hold every filter the code defines: a filter added later is covered without an edit."""
    assert set(service_list_parameters(inspector)) == {
        "q",
        "rating",
        "standard",
        "standard_rating",
        "framework",
        "nation",
        "published_from",
        "published_to",
        "sort",
        "format",
        "page",
    }
    assert set(finding_search_parameters(inspector)) == {"q", "kind", "standard", "rating", "service", "page"}
    assert set(changelist_parameters(admin.site._registry[Inspection], inspector)) >= {
        "q",
        "o",
        "p",
        "status__exact",
        "framework__id__exact",
        "overall_rating",
        "service__nation__exact",
        "published_on__year",
    }


@given(data=st.data())
def test_services_list_and_its_exports_survive_any_parameters(visitor, data):
    query = data.draw(hostile_query(service_list_parameters(user_of(visitor))))
    response = visitor.get(f"/services/?{query}")
    body(response)
    assert response.status_code in PUBLIC_STATUSES, query


@given(data=st.data())
def test_services_exports_survive_any_filters(visitor, data):
    parameters = service_list_parameters(user_of(visitor))
    del parameters["format"]
    query = data.draw(hostile_query(parameters))
    output = data.draw(st.sampled_from(["csv", "json"]))
    response = visitor.get(f"/services/?{query}&format={output}")
    body(response)
    assert response.status_code in PUBLIC_STATUSES, query


@given(data=st.data())
def test_findings_search_survives_any_parameters(visitor, data):
    query = data.draw(hostile_query(finding_search_parameters(user_of(visitor))))
    response = visitor.get(f"/findings/?{query}")
    assert response.status_code in PUBLIC_STATUSES, query
    body(response)


@given(data=st.data())
def test_compare_survives_any_parameters(visitor, data):
    parameters = compare_parameters(user_of(visitor))
    query = data.draw(hostile_query(parameters))
    response = visitor.get(f"/compare/?{query}")
    body(response)
    if response.status_code == 302:
        # Names that found their services: sent to the same comparison by slugs.
        location = urlsplit(response["Location"])
        assert location.path == "/compare/", query
        assert {value for _, value in parse_qsl(location.query)} <= set(parameters["services"]), query
    else:
        assert response.status_code in PUBLIC_STATUSES, query


CHANGELISTS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.mark.parametrize(("model", "model_admin"), CHANGELISTS, ids=[model._meta.label for model, _ in CHANGELISTS])
@given(data=st.data())
def test_admin_changelists_survive_any_parameters(client, inspector, model, model_admin, data):
    """As an inspector: a list, a refusal of a bad lookup (302 to ?e=1), 400 or 403; never a 5xx."""
    client.force_login(inspector)
    query = data.draw(hostile_query(changelist_parameters(model_admin, inspector)))
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    response = client.get(f"{url}?{query}")
    assert response.status_code in ADMIN_STATUSES, query
    if response.status_code == 302:
        assert response["Location"] == f"{url}?e=1"


@given(data=st.data())
def test_admin_changelists_send_anonymous_to_login_whatever_the_parameters(client, data):
    """Anonymous is sent to log in before any parameter is read, except a NUL: refused on every page (400)."""
    query = data.draw(hostile_query({SEARCH_VAR: [], ORDER_VAR: [], "status__exact": ["draft"]}))
    response = client.get(f"/admin/inspections/inspection/?{query}")
    if "%00" in query:
        assert response.status_code == 400, query
    else:
        assert response.status_code == 302, query
        assert response["Location"].startswith("/admin/login/?next=")


def sweep(client, url: str, parameters: dict[str, list[str]], *, allowed: set[int]) -> list[tuple[str, int]]:
    """Every parameter alone with each classic hostile value, then beside a known-good value of every other
    parameter: the (query, status) pairs that were not a sensible answer."""
    client.raise_request_exception = False
    good = "&".join(f"{quote(name)}={quote(values[0])}" for name, values in parameters.items() if values)
    failures = []
    for name in parameters:
        for value in CLASSIC:
            hostile = f"{quote(name)}={quote_from_bytes(value)}"
            for query in [hostile, f"{good}&{hostile}"] if value in BESIDE_GOOD_VALUES else [hostile]:
                response = client.get(f"{url}?{query}")
                body(response)
                if response.status_code not in allowed:
                    failures.append((query[:200], response.status_code))
    return failures


def test_every_public_parameter_survives_each_classic_hostile_value(visitor):
    user = user_of(visitor)
    failures = [
        *sweep(visitor, "/services/", service_list_parameters(user), allowed=PUBLIC_STATUSES),
        *sweep(visitor, "/findings/", finding_search_parameters(user), allowed=PUBLIC_STATUSES),
        *sweep(visitor, "/compare/", compare_parameters(user), allowed=PUBLIC_STATUSES),
    ]
    assert failures == []


@pytest.mark.parametrize(("model", "model_admin"), CHANGELISTS, ids=[model._meta.label for model, _ in CHANGELISTS])
def test_every_admin_changelist_parameter_survives_each_classic_hostile_value(client, inspector, model, model_admin):
    client.force_login(inspector)
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    parameters = changelist_parameters(model_admin, inspector)
    assert sweep(client, url, parameters, allowed=ADMIN_STATUSES) == []


@given(data=st.data())
def test_the_admin_inspection_page_survives_any_page_of_findings(client, inspector, data):
    """The inspection page's own parameter, the page of findings: any value shows a page (a value that is no page
    number, the first), a NUL is refused as everywhere in the admin (400); never a 5xx."""
    client.force_login(inspector)
    western_bay = Inspection.objects.get(service__slug="western-bay")
    query = data.draw(hostile_query({"findings_page": ["1", "2", "4"]}))
    response = client.get(f"/admin/inspections/inspection/{western_bay.pk}/change/?{query}")
    assert response.status_code in {200, 400}, query
    if response.status_code == 200:
        assert " of 185.</strong>" in response.content.decode(), query
