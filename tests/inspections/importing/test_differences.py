"""A document as named fields, and the field-by-field differences the admin shows before a replace."""

import copy

import pytest

from inspections.importing.differences import Difference, document_differences, document_fields
from inspections.importing.review import shown
from tests.conftest import report_document

pytestmark = pytest.mark.unit


def test_document_fields_names_items_by_their_natural_key():
    fields = document_fields(report_document("western-bay"))
    assert fields["service/local_authorities"] == ["Swansea", "Neath Port Talbot", "Bridgend"]
    assert fields["judgements/3.3/professional_discretion"] is True
    assert fields["key_questions/2.1.3/percent_yes"] == 37
    assert fields["recommendations/14/addressee"] == "Abertawe Bro Morgannwg University Health Board (ABMUHB)"
    assert fields["findings/0/kind"] == "summary"
    assert fields["key_facts/reoffending_rate/value"] == 47.9
    assert list(fields)[:6] == [
        "service/name",
        "service/slug",
        "service/nation",
        "service/local_authorities",
        "framework",
        "status",
    ]


def test_document_fields_tells_repeated_key_facts_apart_by_area_or_position():
    document = {
        "key_facts": [
            {"measure": "custody_rate", "value": 1, "area": "Swansea"},
            {"measure": "custody_rate", "value": 2, "area": "Bridgend"},
            {"measure": "population_total", "value": 3},
            {"measure": "caseload_male", "value": 4},
            {"measure": "caseload_male", "value": 5},
        ]
    }
    fields = document_fields(document)
    assert [path for path in fields if path.endswith("/value")] == [
        "key_facts/custody_rate:Swansea/value",
        "key_facts/custody_rate:Bridgend/value",
        "key_facts/population_total/value",
        "key_facts/caseload_male:1/value",
        "key_facts/caseload_male:2/value",
    ]


def test_differences_list_changed_added_and_removed_fields_in_order():
    stored = report_document("swindon")
    imported = copy.deepcopy(stored)
    imported["status"] = "draft"
    imported["judgements"][1]["rating"] = "Satisfactory"
    imported["judgements"][1]["score_percent"] = 63.0  # the same figure
    del imported["recommendations"][3]
    imported["recommendations"].append({"number": 5, "addressee": "YOT manager", "text": "review the plan"})
    assert document_differences(stored, imported) == [
        Difference("status", "published", "draft"),
        Difference("judgements/2/rating", "Unsatisfactory", "Satisfactory"),
        Difference("recommendations/4/addressee", "YOT manager", None),
        Difference("recommendations/4/text", stored["recommendations"][3]["text"], None),
        Difference("recommendations/5/addressee", None, "YOT manager"),
        Difference("recommendations/5/text", None, "review the plan"),
    ]
    assert document_differences(stored, copy.deepcopy(stored)) == []


def test_differences_tell_a_boolean_from_a_number():
    stored = {"judgements": [{"code": "1", "professional_discretion": False, "score_percent": 0}]}
    imported = {"judgements": [{"code": "1", "professional_discretion": 0, "score_percent": False}]}
    assert [d.field for d in document_differences(stored, imported)] == [
        "judgements/1/score_percent",
        "judgements/1/professional_discretion",
    ]


def test_shown_prints_null_booleans_and_lists_for_people():
    assert [shown(None), shown(True), shown(False), shown(["Swansea", "Bridgend"]), shown([]), shown(37)] == [
        "—",
        "yes",
        "no",
        "Swansea\nBridgend",
        "(none)",
        "37",
    ]
