"""Every page runs the same number of queries however much data there is (docs/performance.md).

Each page's count is taken with the five seed reports, then again after synthetic services are added: more
services, inspections, findings and recommendations, and the count must not move. The counts themselves are pinned
by each page's own tests.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import Inspection
from inspections.synthetic import synthetic_generate

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

PUBLIC_PAGES = [
    "/",
    "/services/",
    "/services/?q=bay",
    "/services/?q=a",
    "/services/?rating=Good",
    "/services/?standard=2.1&standard_rating=Inadequate",
    "/services/?framework=standards-2018",
    "/services/?nation=Wales",
    "/services/?published_from=2015&published_to=2019",
    "/services/?sort=rating",
    "/services/?format=csv",
    "/services/?format=json",
    "/services/western-bay/",
    "/findings/?q=assessment",
    "/findings/?q=risk&standard=2.1&rating=Inadequate",
    "/findings/?kind=strength",
    "/compare/?services=western-bay&services=warwickshire",
]


def counts(client, urls: list[str]) -> dict[str, int]:
    result = {}
    for url in urls:
        client.get(url)  # warm the session and the framework catalogue
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, url
        result[url] = len(queries)
    return result


def test_public_pages_run_as_many_queries_with_more_data(client, reports):
    western_bay = Inspection.objects.get(service__slug="western-bay").pk
    urls = [*PUBLIC_PAGES, f"/inspections/{western_bay}/"]
    before = counts(client, urls)

    synthetic_generate(services=6, inspections_per_service=3, seed=5)

    assert counts(client, urls) == before
    assert max(before.values()) <= 12


def test_admin_pages_run_as_many_queries_with_more_data(client, reports, inspector):
    client.force_login(inspector)
    western_bay = Inspection.objects.get(service__slug="western-bay").pk
    urls = [
        "/admin/inspections/inspection/",
        "/admin/inspections/inspection/?q=bay",
        "/admin/inspections/inspection/?q=a",
        f"/admin/inspections/inspection/{western_bay}/change/",
        f"/admin/inspections/inspection/{western_bay}/change/?findings_page=4",
        "/admin/findings/finding/",
        "/admin/findings/finding/?service=bay&q=assessment",
        "/admin/findings/recommendation/",
        "/admin/findings/recommendation/?o=2",
        "/admin/inspections/inspection/?o=2",
        "/admin/inspections/keyfact/",
        "/admin/inspections/keyfact/?q=reoffending",
        "/admin/inspections/service/?q=bay",
    ]
    before = counts(client, urls)

    synthetic_generate(services=6, inspections_per_service=3, seed=5)

    assert counts(client, urls) == before
    assert max(before.values()) <= 12
