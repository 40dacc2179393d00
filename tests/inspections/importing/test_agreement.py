"""The agreement figure: how far an import matches the curated fixture on the acceptance fields.

First the comparison itself (pure), then the bar of issue 4: each of the five seed texts, imported, agrees with its
fixture on every compared field. The figures are recorded for the run's terminal summary (see conftest.py).
"""

import copy
import json

import pytest

from inspections.importing import import_report_text
from inspections.importing.agreement import ABSENT, Mismatch, agreement, first_sentence
from tests.conftest import FIXTURES, report_document
from tests.inspections.importing.conftest import SEEDS, seed_text

WESTERN_BAY_FIELDS = 1 + 12 * 3 + 23 + 14 * 3


@pytest.mark.unit
def test_agreement_of_a_fixture_with_itself_is_complete():
    document = report_document("western-bay")
    result = agreement(copy.deepcopy(document), document)
    assert result.mismatches == []
    assert result.figure == f"{WESTERN_BAY_FIELDS}/{WESTERN_BAY_FIELDS}"
    assert result.fields[:5] == [
        "overall_rating",
        "judgements/1.1/rating",
        "judgements/1.1/score_percent",
        "judgements/1.1/professional_discretion",
        "judgements/1.2/rating",
    ]
    assert "key_questions/2.1.1/percent_yes" in result.fields
    assert result.fields[-3:] == [
        "recommendations/14/number",
        "recommendations/14/addressee",
        "recommendations/14/first_sentence",
    ]


@pytest.mark.unit
def test_agreement_lists_each_differing_field_with_expected_and_got():
    fixture = report_document("western-bay")
    imported = copy.deepcopy(fixture)
    imported["overall_rating"] = "Requires improvement"
    imported["judgements"][0]["professional_discretion"] = True
    imported["key_questions"][1]["percent_yes"] = None
    imported["recommendations"][0]["addressee"] = "The WBYJEIS Manager"
    result = agreement(imported, fixture)
    assert result.mismatches == [
        Mismatch("overall_rating", "Inadequate", "Requires improvement"),
        Mismatch("judgements/1.1/professional_discretion", False, True),
        Mismatch("key_questions/2.1.2/percent_yes", 42, None),
        Mismatch(
            "recommendations/1/addressee",
            "Western Bay Youth Justice and Early Intervention Service (WBYJEIS) Management Board",
            "The WBYJEIS Manager",
        ),
    ]
    assert result.figure == f"{WESTERN_BAY_FIELDS - 4}/{WESTERN_BAY_FIELDS}"
    assert not result.complete


@pytest.mark.unit
def test_agreement_counts_missing_and_invented_items():
    fixture = report_document("swindon")
    imported = copy.deepcopy(fixture)
    del imported["recommendations"][3]
    imported["judgements"].append({**imported["judgements"][0], "code": "9"})
    result = agreement(imported, fixture)
    fixture_fields = 1 + 6 * 3 + 4 * 3
    assert result.total == fixture_fields + 3
    assert [(m.field, m.expected, m.got) for m in result.mismatches] == [
        ("judgements/9/rating", ABSENT, "Satisfactory"),
        ("judgements/9/score_percent", ABSENT, 74),
        ("judgements/9/professional_discretion", ABSENT, False),
        ("recommendations/4/number", 4, ABSENT),
        ("recommendations/4/addressee", "YOT manager", ABSENT),
        ("recommendations/4/first_sentence", fixture["recommendations"][3]["text"], ABSENT),
    ]


@pytest.mark.unit
def test_agreement_compares_typography_normalised_but_types_strictly():
    fixture = {
        "overall_rating": None,
        "judgements": [{"code": "1", "rating": "Good", "score_percent": 1, "professional_discretion": False}],
        "recommendations": [
            {
                "number": 1,
                "addressee": "The directors of children\u2019s services",
                "text": "review  the plan. Then report.",
            }
        ],
    }
    imported = copy.deepcopy(fixture)
    imported["recommendations"][0] = {
        "number": 1,
        "addressee": "The directors of children's services",
        "text": "review the plan. Another sentence entirely.",
    }
    imported["judgements"][0]["score_percent"] = True
    imported["judgements"][0]["professional_discretion"] = 0
    result = agreement(imported, fixture)
    assert [m.field for m in result.mismatches] == [
        "judgements/1/score_percent",
        "judgements/1/professional_discretion",
    ]


@pytest.mark.unit
def test_first_sentence_stops_at_a_full_stop_before_a_capital():
    assert first_sentence("review the plan. Then report to the board.") == "review the plan."
    assert first_sentence("ensure that the variety of provision is increased.") == (
        "ensure that the variety of provision is increased."
    )
    assert first_sentence("work with the 2.5 cases, i.e. those open") == "work with the 2.5 cases, i.e. those open"
    assert first_sentence(None) is None


@pytest.mark.integration
@pytest.mark.parametrize("seed", SEEDS)
def test_each_seed_text_imports_in_full_agreement_with_its_fixture(frameworks, seed, record_property):
    imported = import_report_text(seed_text(seed))
    fixture = json.loads((FIXTURES / "reports" / f"{seed}.json").read_text(encoding="utf-8"))
    result = agreement(imported.document, fixture)
    figure = f"{seed}: {result.figure} fields agree"
    record_property("agreement", figure)
    assert imported.format == fixture["framework"]
    assert result.mismatches == [], figure
    assert figure == f"{seed}: {result.total}/{result.total} fields agree"
