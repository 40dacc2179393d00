"""The security tests' data: the five reports and a draft re-inspection, loaded once per module."""

import json

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from inspections.models import Inspection, InspectionStatus, LocalAuthority
from inspections.roles import ANALYST
from inspections.services import reports_load
from ratings.models import Standard
from ratings.services import frameworks_load
from tests.conftest import FIXTURES, REPORT_PATHS, draft_reinspection


def latest_version(record) -> int:
    return record.history.order_by("-history_date", "-history_id").first().history_id


@pytest.fixture(scope="module")
def reports_and_draft(django_db_setup, django_db_blocker) -> dict:
    """The five reports and a draft re-inspection, loaded once for the module (see ``loaded_reports``)."""
    with django_db_blocker.unblock(), transaction.atomic():
        frameworks_load(data=json.loads((FIXTURES / "frameworks.json").read_text()), source="frameworks.json")
        reports_load(paths=REPORT_PATHS)
        draft = draft_reinspection()
        published = Inspection.objects.get(service__slug="warwickshire", status=InspectionStatus.PUBLISHED)
        ids = {
            "draft": draft.pk,
            "published": published.pk,
            "draft_version": latest_version(draft),
            "published_version": latest_version(published),
            "inspection_type": ContentType.objects.get_for_model(Inspection).pk,
            "group": Group.objects.get(name=ANALYST).pk,
        }
        for label, related in (
            ("finding", "findings"),
            ("recommendation", "recommendations"),
            ("key_fact", "key_facts"),
        ):
            for status, inspection in (("draft", draft), ("published", published)):
                record = getattr(inspection, related).order_by("pk").last()
                ids[f"{status}_{label}"] = record.pk
                ids[f"{status}_{label}_version"] = latest_version(record)
        for label, record in (
            ("local_authority", LocalAuthority.objects.get(name="Warwickshire")),
            ("service", published.service),
            ("rating_scale", published.framework.rating_scale),
            ("framework", published.framework),
            ("standard", Standard.objects.filter(framework=published.framework).first()),
        ):
            ids[label] = record.pk
            ids[f"{label}_version"] = latest_version(record)
        yield ids
        transaction.set_rollback(True)
