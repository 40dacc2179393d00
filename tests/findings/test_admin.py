"""The admin's findings and recommendations lists: filters and counts that hold at national scale."""

import pytest
from django.urls import reverse

from findings.admin import CappedCountPaginator
from findings.models import Finding, Recommendation
from findings.selectors import search_is_full_text
from inspections.models import InspectionStatus
from ratings.models import Standard

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.usefixtures("loaded_reports")]
FINDINGS = reverse("admin:findings_finding_changelist")
RECOMMENDATIONS = reverse("admin:findings_recommendation_changelist")


def listed(response) -> list[int]:
    return [row.pk for row in response.context["cl"].result_list]


def slugs(response) -> set[str]:
    return {row.inspection.service.slug for row in response.context["cl"].result_list}


@pytest.mark.parametrize("url", [FINDINGS, RECOMMENDATIONS])
def test_the_lists_offer_a_service_box_not_a_link_for_every_service(client, inspector, url):
    client.force_login(inspector)
    html = client.get(url).content.decode()
    assert '<input type="text" name="service" id="service-filter-name" value="" size="20">' in html
    assert "inspection__service__id__exact" not in html
    assert ">Swindon Youth Offending Team<" not in html  # no link per service

    response = client.get(url, {"service": "western bay", "o": "2"})

    assert slugs(response) == {"western-bay"}
    # The box carries the list's other parameters.
    assert '<input type="hidden" name="o" value="2">' in response.content.decode()


def test_the_findings_list_filters_by_a_framework_s_standard(client, inspector):
    client.force_login(inspector)
    standard = Standard.objects.get(framework__code="standards-2018", code="2.1")
    response = client.get(FINDINGS, {"standard": str(standard.pk)})
    expected = Finding.objects.filter(standard=standard).count()
    assert expected > 0
    assert response.context["cl"].result_count == expected
    assert {Finding.objects.get(pk=pk).standard_id for pk in listed(response)} == {standard.pk}
    assert f"2.1 {standard.name} ({standard.framework.name})" in response.content.decode()
    # A value the filter does not offer shows the list unfiltered.
    assert client.get(FINDINGS, {"standard": "99999"}).context["cl"].result_count == Finding.objects.count()


def test_the_lists_count_no_more_than_their_cap(client, inspector, monkeypatch):
    client.force_login(inspector)
    monkeypatch.setattr(CappedCountPaginator, "cap", 100)
    assert Finding.objects.count() > 100 > Recommendation.objects.count()

    findings = client.get(FINDINGS)
    recommendations = client.get(RECOMMENDATIONS)

    assert findings.context["cl"].result_count == 101
    assert "More than 100 findings: filter or search to narrow them." in findings.content.decode()
    assert " total)" not in findings.content.decode()  # no second, full count
    assert recommendations.context["cl"].result_count == Recommendation.objects.count()
    assert f"{Recommendation.objects.count()} recommendations" in recommendations.content.decode()


@pytest.mark.parametrize(("url", "queries"), [(FINDINGS, 7), (RECOMMENDATIONS, 6)])
def test_the_lists_run_a_fixed_number_of_queries(client, inspector, django_assert_num_queries, url, queries):
    client.force_login(inspector)
    client.get(url)  # warm the session, the permission caches and the framework catalogue
    with django_assert_num_queries(queries):
        client.get(url, {"service": "bay", "q": "assessment"})


def test_the_findings_search_reads_words_in_any_form_on_postgresql(client, inspector):
    client.force_login(inspector)
    response = client.get(FINDINGS, {"q": "assessed"})
    texts = [row.text.lower() for row in response.context["cl"].result_list]
    assert texts
    if search_is_full_text():  # the stored search vector: "assessed" is "assess", as is "assessment"
        assert any("assessment" in text and "assessed" not in text for text in texts)
    else:  # SQLite: Django's search of the fields
        assert all("assessed" in text for text in texts)


def test_the_lists_show_drafts_to_inspectors_only(client, inspector, analyst):
    draft = Finding.objects.filter(inspection__service__slug="bromley").first().inspection
    draft.status = InspectionStatus.DRAFT
    draft.save()
    client.force_login(analyst)
    assert "bromley" not in slugs(client.get(FINDINGS, {"service": "bromley"}))
    client.force_login(inspector)
    assert slugs(client.get(FINDINGS, {"service": "bromley"})) == {"bromley"}
