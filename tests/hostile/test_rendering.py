"""Text with HTML or script in it is shown as text on every page that renders it, search highlights included.

Western Bay's findings (one of each kind), recommendations, key facts, a judgement's note and the service's
name are given markup; each page must show the escaped text and no tag of it. Search highlighting must add
its <mark> and nothing else, and never split an escaped character (a search for "lt" or "amp").
"""

import html
import re

import pytest
from django.urls import reverse

from findings.models import Finding, Recommendation
from inspections.models import Inspection, KeyFact, Service
from ratings.models import Judgement

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.usefixtures("loaded_reports")]

PAYLOAD = '<script>alert("zebra")</script><img src=x onerror=alert(1)> Zebra & co\'s <b>bold</b> claim'
ESCAPED = (
    "&lt;script&gt;alert(&quot;zebra&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; "
    "Zebra &amp; co&#x27;s &lt;b&gt;bold&lt;/b&gt; claim"
)
NAME = '<i>Western</i> "Bay" & <script>x()</script>'
ESCAPED_NAME = "&lt;i&gt;Western&lt;/i&gt; &quot;Bay&quot; &amp; &lt;script&gt;x()&lt;/script&gt;"
MARK = re.compile(r'<mark class="search-match">|</mark>')
RESULT_TEXT = re.compile(r'<p class="govuk-body finding-text">(.*?)</p>', re.DOTALL)


@pytest.fixture
def hostile_text():
    """Markup in every kind of text Western Bay's pages show; saved row by row, as an edit would be."""
    inspection = Inspection.objects.get(service__slug="western-bay")
    seen = set()
    for finding in inspection.findings.order_by("position"):
        if finding.kind not in seen:
            seen.add(finding.kind)
            finding.text = PAYLOAD
            finding.save()
    for recommendation in inspection.recommendations.all()[:1]:
        recommendation.text = PAYLOAD
        recommendation.addressee = "<b>The Board</b>"
        recommendation.save()
    fact = inspection.key_facts.order_by("position").first()
    fact.period, fact.source, fact.comparator = "<u>2017</u>", PAYLOAD, "<em>E&W</em>"
    fact.save()
    judgement = Judgement.objects.get(inspection=inspection, standard__code="3.3")
    judgement.note = PAYLOAD
    judgement.save()
    service = inspection.service
    service.name = NAME
    service.save()
    inspection.service_name = NAME  # the name at the time of the report
    inspection.save()
    return inspection


def page(client, url: str, params=None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200, url
    return response.content.decode()


def assert_no_payload_markup(content: str) -> None:
    for tag in ("<script>alert", "<img src=x", "<b>bold", "<i>Western", "<script>x()", "<u>2017", "<em>E&W"):
        assert tag not in content


def test_the_inspection_page_shows_markup_as_text(client, hostile_text):
    content = page(client, reverse("inspection_detail", args=[hostile_text.pk]))
    assert_no_payload_markup(content)
    # One of each finding kind, the recommendation, the key fact's source, the discretion note.
    assert content.count(ESCAPED) >= len(set(hostile_text.findings.values_list("kind", flat=True))) + 3
    assert "&lt;b&gt;The Board&lt;/b&gt;" in content
    assert "&lt;u&gt;2017&lt;/u&gt;" in content and "&lt;em&gt;E&amp;W&lt;/em&gt;" in content
    assert ESCAPED_NAME in content


def test_the_scorecard_shows_markup_as_text(client, hostile_text):
    content = page(client, reverse("service_scorecard", args=["western-bay"]))
    assert_no_payload_markup(content)
    assert ESCAPED in content  # a strength or area for improvement
    assert ESCAPED_NAME in content


def test_the_compare_page_shows_markup_as_text(client, hostile_text):
    content = page(client, reverse("compare"), {"services": ["western-bay", "warwickshire"]})
    assert_no_payload_markup(content)
    assert ESCAPED in content  # 3.3's discretion note
    assert ESCAPED_NAME in content


def test_the_services_list_and_overview_show_markup_as_text(client, hostile_text):
    for url in (reverse("service_list"), reverse("overview")):
        content = page(client, url)
        assert_no_payload_markup(content)
        assert ESCAPED_NAME in content, url


@pytest.mark.parametrize("q", ["zebra", "script", "lt", "amp", "quot", "claim bold", "<script>", '"zebra"'])
def test_search_highlights_add_marks_and_nothing_else(client, hostile_text, q):
    content = page(client, reverse("finding_search"), {"q": q, "service": "western-bay"})
    assert_no_payload_markup(content)
    texts = [text for text in RESULT_TEXT.findall(content) if "zebra" in text.lower()]
    if q in ("zebra", '"zebra"', "claim bold"):
        assert texts, q  # the hostile rows are found (PostgreSQL reads <script> as a tag, not a word)
    for text in texts:
        # Without its marks, the shown text is the escaped text exactly: no tag let through, no entity split.
        assert "<" not in MARK.sub("", text)
        assert html.unescape(MARK.sub("", text)) == PAYLOAD
    # The search words themselves are echoed escaped (the search box).
    assert f'value="{html.escape(q)}"' in content


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("/admin/findings/finding/?q=zebra", ESCAPED),
        ("/admin/findings/recommendation/?q=zebra", ESCAPED),
        ("/admin/inspections/keyfact/?q=western", "&lt;u&gt;2017&lt;/u&gt;"),
        ("/admin/inspections/service/?q=western", ESCAPED_NAME),
        ("/admin/inspections/inspection/", ESCAPED_NAME),
    ],
)
def test_admin_lists_show_markup_as_text(client, inspector, hostile_text, url, shown):
    client.force_login(inspector)
    content = page(client, url)
    assert_no_payload_markup(content)
    assert shown in content


def test_the_admin_inspection_page_shows_markup_as_text_in_its_fields(client, inspector, hostile_text):
    client.force_login(inspector)
    content = page(client, reverse("admin:inspections_inspection_change", args=[hostile_text.pk]))
    assert_no_payload_markup(content)
    assert content.count(ESCAPED) >= 3
    assert Finding.objects.filter(text=PAYLOAD).count() >= 3
    assert Recommendation.objects.filter(text=PAYLOAD).count() == 1
    assert KeyFact.objects.filter(source=PAYLOAD).count() == 1
    assert Service.objects.filter(name=NAME).count() == 1
