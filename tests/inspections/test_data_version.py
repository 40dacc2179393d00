"""The data's token (inspections/migrations/0009_data_version): it changes with every write to the inspections and
judgements, whoever makes it, and with nothing else."""

import pytest
from django.db import connection

from findings.models import Finding, FindingKind
from inspections.data_version import cached_until_data_changes, data_version
from inspections.models import Inspection
from ratings.models import Judgement

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.usefixtures("loaded_reports")]


def western_bay() -> Inspection:
    return Inspection.objects.get(service__slug="western-bay")


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda: western_bay().save(), id="inspection-saved"),
        pytest.param(lambda: Inspection.objects.filter(pk=western_bay().pk).update(title="x"), id="inspection-update"),
        pytest.param(
            lambda: Judgement.objects.filter(inspection=western_bay()).update(note="x"), id="judgement-update"
        ),
        pytest.param(
            lambda: Judgement.objects.filter(inspection=western_bay()).first().delete(), id="judgement-delete"
        ),
        pytest.param(lambda: _sql("UPDATE inspections_inspection SET title = 'y'"), id="raw-sql"),
    ],
)
def test_the_token_changes_with_every_write_to_inspections_and_judgements(write):
    before = data_version()
    assert len(before) == 32
    write()
    assert data_version() not in {before, None}


def test_the_token_stays_when_other_tables_change():
    before = data_version()
    Finding.objects.create(inspection=western_bay(), kind=FindingKind.STRENGTH, text="A new strength.")
    assert data_version() == before


def test_a_cached_value_holds_until_the_data_changes():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert cached_until_data_changes("test", variant=(1,), compute=compute) == 1
    assert cached_until_data_changes("test", variant=(1,), compute=compute) == 1
    assert cached_until_data_changes("test", variant=(2,), compute=compute) == 2  # another variant
    Inspection.objects.filter(pk=western_bay().pk).update(title="changed")
    assert cached_until_data_changes("test", variant=(1,), compute=compute) == 3


def test_the_token_changes_when_a_judgement_is_added():
    judgement = Judgement.objects.filter(inspection=western_bay()).first()
    judgement.delete()
    before = data_version()
    Judgement.objects.create(inspection=judgement.inspection, standard=judgement.standard)
    assert data_version() not in {before, None}


def _sql(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)
