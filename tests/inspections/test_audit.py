"""The inspection history page: every change to an inspection and everything under it, who, when, why, before →
after; readable by whoever may read the inspection, written by no one."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse

from findings.models import Recommendation
from inspections.audit import audit_rows_html, inspection_audit
from inspections.models import Inspection, KeyFact
from inspections.services import documents_load, inspections_publish
from tests.conftest import report_document
from tests.inspections.importing.test_admin_import import table_rows
from tests.inspections.test_admin import form_data

pytestmark = pytest.mark.integration


def audit_url(inspection: Inspection) -> str:
    return reverse("admin:inspections_inspection_audit", args=[inspection.pk])


@pytest.fixture
def swindon_draft(frameworks) -> Inspection:
    document = report_document("swindon") | {"status": "draft"}
    [result] = documents_load(documents=[("swindon.json", document)])
    return result.inspection


def test_history_lists_loads_publishing_edits_and_deletions_newest_first(client, swindon_draft, inspector, analyst):
    inspections_publish(inspections=Inspection.objects.filter(pk=swindon_draft.pk), user=inspector)
    client.force_login(inspector)
    # An edit through the inspection page: the lead inspector and the first recommendation's text.
    change_url = reverse("admin:inspections_inspection_change", args=[swindon_draft.pk])
    data = form_data(client.get(change_url))
    first = Recommendation.objects.get(inspection=swindon_draft, number=1)
    [prefix] = [
        k.removesuffix("-id")
        for k, v in data.items()
        if k.startswith("recommendations-") and k.endswith("-id") and str(v) == str(first.pk)
    ]
    data["lead_inspector"] = "A. N. Inspector"
    data[f"{prefix}-text"] = "Corrected text"
    assert client.post(change_url, data).status_code == 302
    key_fact = KeyFact.objects.filter(inspection=swindon_draft).order_by("position").first()
    delete_url = reverse("admin:inspections_keyfact_delete", args=[key_fact.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302

    client.force_login(analyst)
    response = client.get(audit_url(swindon_draft))
    assert response.status_code == 200
    rows = audit_rows(response)
    assert rows[:4] == [
        ("inspector", "Key fact reoffending_rate", "deleted", "—", ()),
        (
            "inspector",
            "Recommendation 1",
            "changed",
            "—",
            (
                "Text: the work of the YOT should be targeted, meet local need, and driven by a clear YOT strategy "
                "and effective delivery plan → Corrected text",
            ),
        ),
        ("inspector", "Inspection", "changed", "—", ("Lead inspector: Vivienne Clarke → A. N. Inspector",)),
        ("inspector", "Inspection", "changed", "published", ("Status: Draft → Published",)),
    ]
    loaded = rows[4:]
    created = (
        1
        + sum(model.objects.filter(inspection=swindon_draft).count() for model in (Recommendation, KeyFact))
        + 1  # the key fact deleted since
        + swindon_draft.findings.count()
        + swindon_draft.judgements.count()
        + swindon_draft.key_question_scores.count()
        + swindon_draft.areas.count()
    )
    assert len(loaded) == created
    assert {(who, action, reason) for who, _, action, reason, _ in loaded} == {
        ("system", "created", "load_reports swindon.json")
    }
    [inspection_created] = [changes for _, what, _, _, changes in loaded if what == "Inspection"]
    assert "Status: — → Draft" in inspection_created
    assert "Service: — → Swindon Youth Offending Team" in inspection_created
    # What a foreign key points at is named: a framework's rows from the catalogues, an authority joined.
    assert "Framework: — → fji-2015 Full Joint Inspection (2015)" in inspection_created
    [area_created] = [changes for _, what, _, _, changes in loaded if what == "Inspection area Swindon"]
    assert "Local authority: — → Swindon" in area_created


def audit_rows(response) -> list[tuple]:
    """The page's rows without the time: who, what, action, why, and each before → after line."""
    rows = []
    for _, who, what, action, why, changes in table_rows(response, "inspection-audit"):
        lines = tuple(line.strip() for line in changes.splitlines() if line.strip() and line.strip() != "—")
        rows.append((who, what, action, why, lines))
    return rows


def test_a_draft_history_is_for_inspectors_only_and_no_one_writes_to_it(client, swindon_draft, inspector, analyst):
    client.force_login(analyst)
    assert client.get(audit_url(swindon_draft)).status_code == 404
    client.force_login(inspector)
    response = client.get(audit_url(swindon_draft))
    assert response.status_code == 200
    who, _, action, why, _ = audit_rows(response)[0]
    assert (who, action, why) == ("system", "created", "load_reports swindon.json")
    assert client.post(audit_url(swindon_draft)).status_code == 405
    client.logout()
    assert client.get(audit_url(swindon_draft))["Location"].startswith("/admin/login/")


def test_the_inspection_page_links_to_its_history(client, swindon_draft, inspector):
    client.force_login(inspector)
    html = client.get(reverse("admin:inspections_inspection_change", args=[swindon_draft.pk])).content.decode()
    assert f'<a href="{audit_url(swindon_draft)}">Full history</a>' in html


# The rows as the page's template wrote them before they were written in Python (inspections.audit.audit_rows_html).
TEMPLATE_ROWS = Template(
    """{% for entry in entries %}
      <tr>
        <td>{{ entry.when|date:"j F Y H:i:s" }}</td>
        <td>{{ entry.who }}</td>
        <td>{{ entry.record }}</td>
        <td>{{ entry.action }}</td>
        <td>{{ entry.reason|default:"—" }}</td>
        <td>{% if entry.changes %}<ul>{% for change in entry.changes %}
          <li>{{ change.field|capfirst }}: {{ change.before }} → {{ change.after }}</li>{% endfor %}
        </ul>{% else %}—{% endif %}</td>
      </tr>
      {% endfor %}"""
)


def test_the_rows_written_in_python_are_the_html_the_template_wrote(swindon_draft, inspector):
    # Text the page must escape, in a value, a reason and the user's name; a time in summer (British Summer Time).
    swindon_draft.lead_inspector = '<b>O\'Neil</b> & "Co"'
    swindon_draft._change_reason = "<i>checked</i>"
    swindon_draft.save()
    inspector.username = "in<spector>"
    inspector.save()
    record = swindon_draft.history.order_by("-history_id").first()
    record.history_user = inspector
    record.history_date = datetime.datetime(2026, 7, 1, 23, 30, 5, tzinfo=datetime.UTC)
    record.save()

    entries = inspection_audit(inspection=Inspection.objects.select_related("service").get(pk=swindon_draft.pk))

    assert len(entries) > 100
    expected = TEMPLATE_ROWS.render(Context({"entries": entries}))
    assert " ".join(audit_rows_html(entries).split()) == " ".join(expected.split())
    assert "2 July 2026 00:30:05" in expected
    assert "&lt;b&gt;O&#x27;Neil&lt;/b&gt; &amp; &quot;Co&quot;" in expected


def test_the_history_page_runs_as_many_queries_however_long_the_history(
    client, swindon_draft, inspector, django_assert_num_queries
):
    # The session, the user, the user's permissions (one query: inspections.roles), the inspection, the catalogues'
    # version and a query per history table (seven): a framework's rows are named from the catalogues, a service or
    # an authority joined.
    client.force_login(inspector)
    client.get(audit_url(swindon_draft))
    with django_assert_num_queries(12):
        client.get(audit_url(swindon_draft))
    for number, judgement in enumerate(swindon_draft.judgements.all()[:3]):
        judgement.note = f"note {number}"
        judgement.save()
    Recommendation.objects.filter(inspection=swindon_draft).first().delete()
    with django_assert_num_queries(12):
        client.get(audit_url(swindon_draft))
