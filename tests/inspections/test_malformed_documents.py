"""The malformed-document corpus (fixtures/malformed/): each file gets its exact, clear error and loads nothing.

Loaded after the five seed reports, through ``manage.py load_reports`` and through the loader service; every
table's row count (the history tables' too) must be what it was.
"""

import json

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from inspections.jsonchecks import DocumentInvalid
from inspections.services import reports_load
from tests.conftest import FIXTURES

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.usefixtures("loaded_reports")]

CORPUS = FIXTURES / "malformed"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
FILES = sorted(path.name for path in CORPUS.glob("*.json") if path.name != "expected.json")


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_the_corpus_has_at_least_30_documents_each_with_its_expected_errors():
    assert len(FILES) >= 30
    assert sorted(EXPECTED) == FILES
    for name, entry in EXPECTED.items():
        assert entry["damage"] and entry["errors"], name
        assert all(error.startswith("$") for error in entry["errors"]), name


@pytest.mark.parametrize("name", FILES)
def test_the_loader_refuses_a_malformed_document_with_its_error_and_writes_nothing(name):
    path = CORPUS / name
    before = row_counts()
    with pytest.raises(DocumentInvalid) as refused:
        reports_load(paths=[path])
    assert [f"{where}: {message}" for where, message in refused.value.problems] == EXPECTED[name]["errors"]
    # A file holding a list is read as an export: its items are named file[0], file[1]...
    assert refused.value.source in {str(path), f"{path}[0]"}
    assert row_counts() == before


@pytest.mark.parametrize("name", FILES)
def test_load_reports_refuses_a_malformed_document_saying_nothing_was_loaded(name):
    path = CORPUS / name
    before = row_counts()
    with pytest.raises(CommandError) as refused:
        call_command("load_reports", str(path))
    source = f"{path}[0]" if name == "array-of-strings.json" else str(path)
    assert str(refused.value) == "Nothing was loaded.\n" + "\n".join(
        f"{source}: {error}" for error in EXPECTED[name]["errors"]
    )
    assert row_counts() == before


def test_a_malformed_document_beside_good_ones_stops_them_all(tmp_path):
    """One transaction: the good documents given with a bad one are not loaded either."""
    good = tmp_path / "good.json"
    document = json.loads((FIXTURES / "reports" / "northamptonshire-2015-05.json").read_text(encoding="utf-8"))
    document["service"]["slug"] = "northamptonshire-copy"
    good.write_text(json.dumps(document), encoding="utf-8")
    before = row_counts()
    with pytest.raises(CommandError, match="rating-not-in-scale.json: \\$.judgements\\[0\\].rating: 'Excellent'"):
        call_command("load_reports", str(good), str(CORPUS / "rating-not-in-scale.json"))
    assert row_counts() == before
