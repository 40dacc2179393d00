"""`import_report_text`: format dispatch, the draft status, --service, the nation, progress, the check's problems."""

import pytest

from inspections.importing import field_path, import_report_text
from inspections.importing.errors import ImportUnreadable
from tests.conftest import report_document
from tests.inspections.importing.conftest import seed_text

pytestmark = pytest.mark.integration


@pytest.mark.unit
def test_field_path_names_items_as_the_importer_does():
    document = report_document("western-bay")
    assert field_path(document, "$.judgements[10].rating") == "judgements/3.3/rating"
    assert field_path(document, "$.key_questions[0].percent_yes") == "key_questions/2.1.1/percent_yes"
    assert field_path(document, "$.recommendations[13]") == "recommendations/14"
    assert field_path(document, "$.findings[4].text") == "findings/4/text"
    assert field_path(document, "$.service.nation") == "service/nation"
    assert field_path(document, "$.judgements[99].rating") == "judgements/99/rating"
    assert field_path(document, "$") == "document"


def test_import_makes_a_draft_and_tells_its_progress(frameworks):
    told = []
    result = import_report_text(seed_text("western-bay-2019-03"), progress=lambda *step: told.append(step))
    assert result.format == "standards-2018"
    assert result.document["status"] == "draft"
    assert result.document["service"]["slug"] == "western-bay"
    assert told == [
        ("detecting the format", 0, 3),
        ("reading the report", 1, 3),
        ("checking the draft", 2, 3),
        ("checking the draft", 3, 3),
    ]


def test_import_lists_what_the_loader_would_refuse_with_the_importer_field_paths(frameworks):
    result = import_report_text(seed_text("western-bay-2019-03"))
    refused = [(problem.field, problem.reason) for problem in result.problems if problem.reason.startswith("null")]
    assert refused == [("service/nation", "null is not a known nation (one of: England, Wales)")]
    chosen = import_report_text(seed_text("western-bay-2019-03"), nation="Wales")
    assert chosen.document["service"]["nation"] == "Wales"
    assert [problem for problem in chosen.problems if problem.field == "service/nation"] == []


def test_import_service_slug_replaces_the_area_slug(frameworks):
    result = import_report_text(seed_text("bromley-2015-05"), "london-borough-of-bromley")
    assert result.document["service"]["slug"] == "london-borough-of-bromley"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"service_slug": "Western Bay"},
            "'Western Bay' is not a service slug (lower-case letters, digits and hyphens)",
        ),
        ({"nation": "Scotland"}, "'Scotland' is not a nation (England or Wales)"),
    ],
)
def test_import_refuses_a_bad_slug_or_nation_before_reading(arguments, message):
    with pytest.raises(ValueError) as refused:
        import_report_text("anything", **arguments)
    assert str(refused.value) == message


@pytest.mark.unit
def test_import_of_a_text_that_is_not_a_report_is_unreadable():
    with pytest.raises(ImportUnreadable, match="^this is not an HMIP youth inspection report: "):
        import_report_text("Dear customer,\nyour order has shipped.\n")
