"""No lost updates: a save from an inspection page opened before someone else's save is refused, theirs survives."""

import pytest
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse

from inspections.models import Inspection, InspectionStatus
from inspections.services import documents_load, inspections_publish
from tests.conftest import INSPECTOR, _user, report_document
from tests.inspections.test_admin import form_data

pytestmark = pytest.mark.integration


@pytest.fixture
def swindon(frameworks) -> Inspection:
    [result] = documents_load(documents=[("swindon.json", report_document("swindon"))])
    return result.inspection


@pytest.fixture
def second_inspector(db, django_user_model):
    return _user(django_user_model, "second-inspector", INSPECTOR)


def change_url(inspection: Inspection) -> str:
    return reverse("admin:inspections_inspection_change", args=[inspection.pk])


def test_the_second_of_two_saves_from_the_same_page_is_refused_and_the_first_survives(
    swindon, inspector, second_inspector
):
    first, second = Client(), Client()
    first.force_login(inspector)
    second.force_login(second_inspector)
    first_form = form_data(first.get(change_url(swindon)))
    second_form = form_data(second.get(change_url(swindon)))
    assert first_form["version"] == second_form["version"] == swindon.version

    first_form["lead_inspector"] = "First Inspector"
    assert first.post(change_url(swindon), first_form).status_code == 302
    second_form["lead_inspector"] = "Second Inspector"
    second_form["cases_total"] = "99"  # the report says 34
    refused = second.post(change_url(swindon), second_form)

    assert refused.status_code == 200
    [error] = refused.context["adminform"].form.non_field_errors()
    assert error.startswith("Not saved: inspector changed this inspection on ")
    assert error.endswith(
        ", after this page was opened. Your changes would overwrite theirs. Open the inspection again to see "
        "their changes, then make yours."
    )
    assert error in refused.content.decode()
    swindon.refresh_from_db()
    assert (swindon.lead_inspector, swindon.cases_total) == ("First Inspector", 34)

    # Reopened, the page carries the new version and the save goes through.
    again = form_data(second.get(change_url(swindon)))
    again["lead_inspector"] = "Second Inspector"
    assert second.post(change_url(swindon), again).status_code == 302
    swindon.refresh_from_db()
    assert swindon.lead_inspector == "Second Inspector"


def test_a_save_without_the_version_is_refused(client, swindon, inspector):
    client.force_login(inspector)
    data = form_data(client.get(change_url(swindon)))
    del data["version"]
    data["lead_inspector"] = "Someone"
    response = client.post(change_url(swindon), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["version"] == ["This field is required."]
    swindon.refresh_from_db()
    assert swindon.lead_inspector == "Vivienne Clarke"


def test_every_save_counts_admin_publishing_and_the_loader(client, frameworks, inspector):
    document = report_document("swindon") | {"status": "draft"}
    [result] = documents_load(documents=[("swindon.json", document)])
    inspection = result.inspection
    assert Inspection.objects.get(pk=inspection.pk).version == 1

    inspections_publish(inspections=Inspection.objects.filter(pk=inspection.pk), user=inspector)
    assert Inspection.objects.get(pk=inspection.pk).version == 2

    client.force_login(inspector)
    data = form_data(client.get(change_url(inspection)))
    data["lead_inspector"] = "Someone"
    assert client.post(change_url(inspection), data).status_code == 302
    assert Inspection.objects.get(pk=inspection.pk).version == 3

    changed = report_document("swindon") | {"lead_inspector": "Another"}
    documents_load(documents=[("swindon.json", changed)])
    assert Inspection.objects.get(pk=inspection.pk).version > 3


def test_bulk_publish_is_all_or_nothing(frameworks, inspector, monkeypatch):
    documents = [
        (slug, report_document(slug) | {"status": "draft"}) for slug in ("swindon", "bromley", "northamptonshire")
    ]
    documents_load(documents=documents)
    saves = []
    original_save = Inspection.save

    def failing_third_save(self, *args, **kwargs):
        saves.append(self.pk)
        if len(saves) == 3:
            raise RuntimeError("the database went away")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Inspection, "save", failing_third_save)
    with pytest.raises(RuntimeError):
        inspections_publish(inspections=Inspection.objects.all(), user=inspector)
    assert len(saves) == 3
    assert set(Inspection.objects.values_list("status", flat=True)) == {InspectionStatus.DRAFT}


def test_bulk_delete_is_all_or_nothing(client, frameworks, inspector, monkeypatch):
    documents_load(documents=[(slug, report_document(slug)) for slug in ("swindon", "bromley")])
    deletes = []
    # The admin's bulk delete deletes a queryset: make the queryset's delete fail after deleting the first row.
    original_queryset_delete = QuerySet.delete

    def delete_first_then_fail(queryset):
        if queryset.model is Inspection and not deletes:
            first = queryset.order_by("pk").first()
            deletes.append(first.pk)
            original_queryset_delete(Inspection.objects.filter(pk=first.pk))
            raise RuntimeError("the database went away")
        return original_queryset_delete(queryset)

    monkeypatch.setattr(QuerySet, "delete", delete_first_then_fail)
    client.force_login(inspector)
    client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        client.post(
            reverse("admin:inspections_inspection_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": list(Inspection.objects.values_list("pk", flat=True)),
                "post": "yes",
                "index": "0",
            },
        )
    assert len(deletes) == 1
    assert Inspection.objects.count() == 2
