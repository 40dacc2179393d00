"""The stored latest flags (``Inspection.is_latest``, ``is_latest_published``), kept after every save and delete."""

import datetime

import pytest

from inspections.models import Inspection, InspectionStatus
from inspections.services import inspections_flag_latest
from tests.conftest import SLUGS

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def flags(slug: str) -> list[tuple]:
    return list(
        Inspection.objects.filter(service__slug=slug)
        .order_by("pk")
        .values_list("published_on", "status", "is_latest", "is_latest_published")
    )


def newer_draft(slug: str) -> Inspection:
    latest = Inspection.objects.get(service__slug=slug, is_latest=True)
    return Inspection.objects.create(
        service=latest.service,
        framework=latest.framework,
        service_name=latest.service_name,
        status=InspectionStatus.DRAFT,
        published_on=datetime.date(2024, 5, 1),
    )


def test_every_loaded_service_has_one_latest_inspection(reports):
    for slug in SLUGS:
        assert [row[2:] for row in flags(slug)] == [(True, True)]


def test_a_newer_draft_is_the_latest_but_not_the_latest_published(reports):
    draft = newer_draft("swindon")

    assert flags("swindon") == [
        (datetime.date(2015, 6, 1), "published", False, True),
        (datetime.date(2024, 5, 1), "draft", True, False),
    ]
    draft.status = InspectionStatus.PUBLISHED
    draft.save()
    assert [row[2:] for row in flags("swindon")] == [(False, False), (True, True)]
    draft.delete()
    assert [row[2:] for row in flags("swindon")] == [(True, True)]


def test_an_undated_inspection_comes_after_every_dated_one(reports):
    latest = Inspection.objects.get(service__slug="bromley")
    Inspection.objects.create(
        service=latest.service,
        framework=latest.framework,
        service_name=latest.service_name,
        status=InspectionStatus.PUBLISHED,
        fieldwork_start_on=datetime.date(2010, 1, 4),
    )
    assert [row[2:] for row in flags("bromley")] == [(True, True), (False, False)]


def test_flag_latest_repairs_flags_set_by_hand(reports):
    Inspection.objects.update(is_latest=False, is_latest_published=True)

    inspections_flag_latest()

    assert Inspection.objects.filter(is_latest=True).count() == 5
    assert Inspection.objects.filter(is_latest_published=True).count() == 5
    assert set(Inspection.objects.filter(is_latest=True).values_list("service__slug", flat=True)) == set(SLUGS)


def test_moving_an_inspection_to_another_service_gives_the_service_it_left_its_latest_back(reports):
    draft = newer_draft("swindon")
    draft.service = Inspection.objects.get(service__slug="bromley").service
    draft.save()

    assert [row[2:] for row in flags("swindon")] == [(True, True)]
    assert [row[2:] for row in flags("bromley")] == [(False, True), (True, False)]
