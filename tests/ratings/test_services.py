"""Loading reference data: ``ratings.services.frameworks_load`` and the ``load_frameworks`` command."""

import copy
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from inspections.jsonchecks import DocumentInvalid
from ratings.models import (
    Domain,
    Framework,
    Grade,
    KeyQuestion,
    OverallBand,
    PercentBand,
    RatedBy,
    RatingScale,
    Standard,
)
from ratings.services import FrameworksLoaded, frameworks_load
from tests.conftest import FIXTURES

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

FRAMEWORKS_PATH = FIXTURES / "frameworks.json"
MODELS = [RatingScale, Grade, Framework, Domain, Standard, KeyQuestion, PercentBand, OverallBand]


def frameworks_data() -> dict:
    return json.loads(FRAMEWORKS_PATH.read_text(encoding="utf-8"))


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def history_counts() -> dict[str, int]:
    return {model.__name__: model.history.count() for model in MODELS}


FULL_COUNTS = {
    "RatingScale": 2,
    "Grade": 8,
    "Framework": 3,
    "Domain": 3,
    "Standard": 23,
    "KeyQuestion": 37,
    "PercentBand": 4,
    "OverallBand": 4,
}


def test_frameworks_load_creates_every_row_of_the_file():
    counts = frameworks_load(data=frameworks_data(), source="frameworks.json")

    assert counts == FrameworksLoaded(scales=2, frameworks=3, standards=23, key_questions=37)
    assert row_counts() == FULL_COUNTS
    # One creation record per row, each saying why it was written.
    assert history_counts() == FULL_COUNTS
    assert set(Standard.history.values_list("history_change_reason", flat=True)) == {"load_frameworks"}


def test_frameworks_load_file_counts_match_the_file():
    data = frameworks_data()
    standards = [
        standard
        for framework in data["frameworks"]
        for standard in framework["standards"] + [s for d in framework["domains"] for s in d["standards"]]
    ]
    assert len(data["rating_scales"]) == 2
    assert len(data["frameworks"]) == 3
    assert len(standards) == 23
    assert sum(len(standard["key_questions"]) for standard in standards) == 37


def test_frameworks_load_2018_rules_are_stored_as_published(frameworks):
    framework = Framework.objects.get(code="standards-2018")
    assert framework.rating_scale.code == "standards-four-point"
    assert [(g.name, g.points) for g in framework.rating_scale.grades.order_by("-points")] == [
        ("Outstanding", 3),
        ("Good", 2),
        ("Requires improvement", 1),
        ("Inadequate", 0),
    ]
    assert [(b.grade.name, b.min_percent) for b in framework.percent_bands.order_by("-min_percent")] == [
        ("Outstanding", 80),
        ("Good", 65),
        ("Requires improvement", 50),
        ("Inadequate", 0),
    ]
    assert [(b.grade.name, b.min_points, b.max_points) for b in framework.overall_bands.order_by("min_points")] == [
        ("Inadequate", 0, 6),
        ("Requires improvement", 7, 18),
        ("Good", 19, 30),
        ("Outstanding", 31, 36),
    ]
    standards = framework.standards.order_by("position")
    assert [s.code for s in standards] == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "3.1",
        "3.2",
        "3.3",
        "3.4",
    ]
    assert [s.rated_by for s in standards] == [RatedBy.JUDGEMENT] * 4 + [RatedBy.KEY_QUESTIONS] * 8
    assert all(s.counts_towards_overall for s in standards)
    assert [s.domain.code for s in standards] == ["1"] * 4 + ["2"] * 4 + ["3"] * 4
    questions = KeyQuestion.objects.filter(standard__framework=framework)
    assert questions.count() == 37
    # 14 organisational-delivery questions (no %), 23 case-based ones scored as % yes.
    assert questions.filter(standard__rated_by=RatedBy.JUDGEMENT).count() == 14
    assert questions.filter(standard__rated_by=RatedBy.KEY_QUESTIONS).count() == 23


def test_frameworks_load_frameworks_without_rules_have_no_bands(frameworks):
    fji = Framework.objects.get(code="fji-2015")
    sqs = Framework.objects.get(code="sqs-2015")
    assert fji.rating_scale.code == "fji-four-point"
    assert sqs.rating_scale is None
    for framework in (fji, sqs):
        assert framework.percent_bands.count() == 0
        assert framework.overall_bands.count() == 0
        assert framework.domains.count() == 0
    assert list(fji.standards.order_by("position").values_list("code", flat=True)) == ["1", "2", "3", "4", "5", "6"]
    assert list(sqs.standards.order_by("position").values_list("code", flat=True)) == ["1", "2", "3", "4", "5"]


def test_frameworks_load_twice_writes_nothing(frameworks):
    rows, history = row_counts(), history_counts()

    counts = frameworks_load(data=frameworks_data(), source="frameworks.json")

    assert counts == FrameworksLoaded(scales=2, frameworks=3, standards=23, key_questions=37)
    assert row_counts() == rows == FULL_COUNTS
    assert history_counts() == history
    assert Standard.history.count() == 23


def test_frameworks_load_again_after_reports_writes_nothing(reports):
    rows, history = row_counts(), history_counts()
    frameworks_load(data=frameworks_data(), source="frameworks.json")
    assert row_counts() == rows
    assert history_counts() == history


def test_frameworks_load_changed_question_updates_that_row_only(frameworks):
    data = frameworks_data()
    data["frameworks"][2]["domains"][1]["standards"][0]["key_questions"][0]["text"] = "A reworded question?"
    history = history_counts()

    frameworks_load(data=data, source="frameworks-2.json")

    question = KeyQuestion.objects.get(code="2.1.1")
    assert question.text == "A reworded question?"
    assert row_counts() == FULL_COUNTS
    assert history_counts() == {**history, "KeyQuestion": history["KeyQuestion"] + 1}
    latest = question.history.first()
    assert (latest.history_type, latest.history_change_reason) == ("~", "load_frameworks")


def test_frameworks_load_adds_a_new_framework_alongside(frameworks):
    data = frameworks_data()
    new = copy.deepcopy(data["frameworks"][2])
    new.update(code="standards-2021", name="Youth standards 2021", in_force_from=2021)
    data["frameworks"][2]["in_force_to"] = 2021
    data["frameworks"].append(new)

    counts = frameworks_load(data=data, source="frameworks.json")

    assert counts == FrameworksLoaded(scales=2, frameworks=4, standards=35, key_questions=74)
    assert Framework.objects.get(code="standards-2018").in_force_to == 2021
    assert Standard.objects.filter(framework__code="standards-2021").count() == 12
    assert KeyQuestion.objects.filter(standard__framework__code="standards-2021").count() == 37
    assert row_counts() == {
        **FULL_COUNTS,
        "Framework": 4,
        "Domain": 6,
        "Standard": 35,
        "KeyQuestion": 74,
        "PercentBand": 8,
        "OverallBand": 8,
    }


def _percent_band_off_scale(data):
    data["frameworks"][2]["percent_bands"][0]["rating"] = "Satisfactory"


def _duplicate_standard_code(data):
    data["frameworks"][0]["standards"][1]["code"] = "1"


def _duplicate_question_code(data):
    data["frameworks"][2]["domains"][1]["standards"][1]["key_questions"][0]["code"] = "2.1.1"


def _missing_framework_key(data):
    del data["frameworks"][1]["note"]


def _missing_standard_key(data):
    del data["frameworks"][2]["domains"][0]["standards"][2]["counts_towards_overall"]


def _unknown_scale(data):
    data["frameworks"][0]["rating_scale"] = "five-point"


def _unknown_rated_by(data):
    data["frameworks"][2]["domains"][2]["standards"][3]["rated_by"] = "lowest_percent"


def _overall_band_upside_down(data):
    data["frameworks"][2]["overall_bands"][1]["max_points"] = 5


def _duplicate_grade_points(data):
    data["rating_scales"][1]["grades"][3]["points"] = 1


def _bad_framework_code(data):
    data["frameworks"][2]["code"] = "Standards 2018"


def _in_force_backwards(data):
    data["frameworks"][0]["in_force_to"] = 2014


@pytest.mark.parametrize(
    ("mutate", "problems"),
    [
        (
            _percent_band_off_scale,
            [
                (
                    "$.frameworks[2].percent_bands[0].rating",
                    "'Satisfactory' is not a known grade of this scale "
                    "(one of: Good, Inadequate, Outstanding, Requires improvement)",
                )
            ],
        ),
        (_duplicate_standard_code, [("$.frameworks[0].standards[1].code", "code '1' is used twice in this framework")]),
        (
            _duplicate_question_code,
            [
                (
                    "$.frameworks[2].domains[1].standards[1].key_questions[0].code",
                    "code '2.1.1' is used twice in this framework",
                )
            ],
        ),
        (_missing_framework_key, [("$.frameworks[1]", "missing key 'note'")]),
        (
            _missing_standard_key,
            [
                ("$.frameworks[2].domains[0].standards[2]", "missing key 'counts_towards_overall'"),
                ("$.frameworks[2].domains[0].standards[2].counts_towards_overall", "must be true or false, not null"),
            ],
        ),
        (
            _unknown_scale,
            [("$.frameworks[0].rating_scale", "'five-point' is not one of the rating_scales in this file")],
        ),
        (
            _unknown_rated_by,
            [
                (
                    "$.frameworks[2].domains[2].standards[3].rated_by",
                    "'lowest_percent' is not a known rating method (one of: key_questions, judgement)",
                )
            ],
        ),
        (_overall_band_upside_down, [("$.frameworks[2].overall_bands[1].max_points", "5 is below min_points 7")]),
        (_duplicate_grade_points, [("$.rating_scales[1].grades[3].points", "two grades are worth 1 points")]),
        (
            _bad_framework_code,
            [("$.frameworks[2].code", "'Standards 2018' must be lower-case letters and digits joined by - or _")],
        ),
        (_in_force_backwards, [("$.frameworks[0].in_force_to", "2014 is before in_force_from 2015")]),
    ],
    ids=lambda value: value.__name__.strip("_") if callable(value) else None,
)
def test_frameworks_load_bad_file_names_the_json_path_and_writes_nothing(frameworks, mutate, problems):
    data = frameworks_data()
    # Something new and valid before the fault: refusing the file must not write it either.
    data["rating_scales"].append({"code": "three-point", "name": "Three", "grades": [{"name": "Fine", "points": 1}]})
    data["frameworks"][2]["domains"][0]["standards"][0]["name"] = "Leadership"
    mutate(data)
    rows, history = row_counts(), history_counts()

    with pytest.raises(DocumentInvalid) as raised:
        frameworks_load(data=data, source="bad-frameworks.json")

    assert raised.value.source == "bad-frameworks.json"
    assert raised.value.problems == problems
    path, message = problems[0]
    assert f"bad-frameworks.json: {path}: {message}" in str(raised.value)
    assert row_counts() == rows
    assert history_counts() == history
    assert not RatingScale.objects.filter(code="three-point").exists()
    assert Standard.objects.get(framework__code="standards-2018", code="1.1").name == "Governance and leadership"


def test_frameworks_load_bad_file_into_an_empty_database_writes_nothing(db):
    data = frameworks_data()
    _percent_band_off_scale(data)
    with pytest.raises(DocumentInvalid):
        frameworks_load(data=data, source="bad-frameworks.json")
    assert row_counts() == dict.fromkeys(FULL_COUNTS, 0)
    assert history_counts() == dict.fromkeys(FULL_COUNTS, 0)


def test_frameworks_load_reports_every_problem_in_one_pass(db):
    data = frameworks_data()
    _percent_band_off_scale(data)
    _duplicate_standard_code(data)
    _missing_framework_key(data)
    with pytest.raises(DocumentInvalid) as raised:
        frameworks_load(data=data, source="bad-frameworks.json")
    assert [path for path, _ in raised.value.problems] == [
        "$.frameworks[0].standards[1].code",
        "$.frameworks[1]",
        "$.frameworks[2].percent_bands[0].rating",
    ]


def test_frameworks_load_not_an_object(db):
    with pytest.raises(DocumentInvalid) as raised:
        frameworks_load(data=[], source="list.json")
    assert raised.value.problems == [("$", "must be an object, not a list")]


def test_frameworks_load_rating_scale_of_the_wrong_type_is_refused(db):
    data = frameworks_data()
    data["frameworks"][0]["rating_scale"] = ["fji-four-point"]
    with pytest.raises(DocumentInvalid) as raised:
        frameworks_load(data=data, source="bad-frameworks.json")
    assert [path for path, _ in raised.value.problems] == ["$.frameworks[0].rating_scale"]


# --- the command ------------------------------------------------------------------------------------------


def test_load_frameworks_command_reports_what_it_loaded(db):
    out = StringIO()
    call_command("load_frameworks", str(FRAMEWORKS_PATH), stdout=out)
    assert out.getvalue() == f"{FRAMEWORKS_PATH}: 3 frameworks, 23 standards, 37 key questions, 2 rating scales\n"
    assert row_counts() == FULL_COUNTS


def test_load_frameworks_command_refuses_a_bad_file(frameworks, tmp_path):
    data = frameworks_data()
    _duplicate_standard_code(data)
    path = tmp_path / "frameworks.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    rows, history = row_counts(), history_counts()

    with pytest.raises(CommandError) as raised:
        call_command("load_frameworks", str(path), stdout=StringIO())

    assert str(raised.value) == (
        f"Nothing was loaded.\n{path}: $.frameworks[0].standards[1].code: code '1' is used twice in this framework"
    )
    assert row_counts() == rows
    assert history_counts() == history


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b'{"rating_scales": [', "Expecting value"),
        (b"\xff\xfe not utf-8", "'utf-8' codec can't decode byte 0xff"),
    ],
    ids=["truncated-json", "not-utf-8"],
)
def test_load_frameworks_command_refuses_an_unreadable_file(db, tmp_path, content, why):
    path = tmp_path / "frameworks.json"
    path.write_bytes(content)
    with pytest.raises(CommandError) as raised:
        call_command("load_frameworks", str(path), stdout=StringIO())
    assert str(raised.value).startswith(f"{path}: cannot read: ")
    assert why in str(raised.value)
    assert row_counts() == dict.fromkeys(FULL_COUNTS, 0)


def test_load_frameworks_command_refuses_a_missing_file(db, tmp_path):
    path = tmp_path / "missing.json"
    with pytest.raises(CommandError) as raised:
        call_command("load_frameworks", str(path), stdout=StringIO())
    assert str(raised.value).startswith(f"{path}: cannot read: ")
    assert "No such file or directory" in str(raised.value)
