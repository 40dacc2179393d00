"""The inspection history page: every change to an inspection and everything under it, who, when, why, before →
after; readable by whoever may read the inspection, written by no one."""

import pytest
from django.urls import reverse

from findings.models import Recommendation
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
    assert "Service: — → Swindon Youth Offending Team" in inspection_created or inspection_created[0].startswith(
        "Service: — → "
    )


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
