"""Loading and exporting inspection documents: ``reports_load``, ``inspection_documents`` and their commands.

The five seed reports are loaded once for the module (``loaded_reports``, in an outer transaction); each test
runs in its own savepoint on top of them.
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from findings.models import Finding
from inspections.jsonchecks import DocumentInvalid
from inspections.models import Inspection, KeyFact, Service
from inspections.selectors import inspection_document, inspection_documents, inspections_for_export
from inspections.services import documents_load, reports_load
from ratings.models import KeyQuestionScore
from tests.conftest import MODELS, REPORT_PATHS, SLUGS, report_document, report_path

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.usefixtures("loaded_reports")]

ROWS_OF_THE_FIVE_REPORTS = {
    "Service": 5,
    "LocalAuthority": 7,  # Swansea, Neath Port Talbot and Bridgend for Western Bay; one each for the others
    "Inspection": 5,
    "InspectionArea": 7,
    "Judgement": 6 + 0 + 6 + 12 + 12,
    "KeyQuestionScore": 0 + 0 + 0 + 23 + 23,
    "Recommendation": 13 + 0 + 4 + 4 + 14,
    "Finding": 126 + 29 + 157 + 153 + 185,
    "KeyFact": 3 + 1 + 1 + 9 + 17,
}


def fixture_documents() -> list[dict]:
    """The five fixture files' JSON, in export order (service slug)."""
    return [report_document(slug) for slug in SLUGS]


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def history_counts() -> dict[str, int]:
    return {model.__name__: model.history.count() for model in MODELS}


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    """Documents a test writes are loaded by a short relative path (the history keeps 100 characters of it)."""
    monkeypatch.chdir(tmp_path)


def write_json(name: str, data) -> Path:
    path = Path(name)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def stored_document(slug: str) -> dict:
    return inspection_document(inspection=inspections_for_export().get(service__slug=slug))


def export(*args: str) -> list[dict]:
    out = StringIO()
    call_command("export_reports", *args, stdout=out)
    return json.loads(out.getvalue())


# --- loading the five reports -----------------------------------------------------------------------------


def test_reports_load_creates_all_five(loaded_reports):
    assert [(Path(result.source).name, result.outcome) for result in loaded_reports] == [
        ("bromley-2015-05.json", "created"),
        ("northamptonshire-2015-05.json", "created"),
        ("swindon-2015-06.json", "created"),
        ("warwickshire-2018-10.json", "created"),
        ("western-bay-2019-03.json", "created"),
    ]
    assert [result.source for result in loaded_reports] == [str(path) for path in REPORT_PATHS]
    assert [result.inspection.service.slug for result in loaded_reports] == SLUGS
    assert row_counts() == ROWS_OF_THE_FIVE_REPORTS


def test_reports_load_writes_one_history_record_per_row(loaded_reports):
    # A service is created, then its coverage set from its latest report: two records each.
    assert history_counts() == {**ROWS_OF_THE_FIVE_REPORTS, "Service": 10}
    assert list(
        Service.history.filter(slug="western-bay")
        .order_by("history_id")
        .values_list("history_type", "history_change_reason")
    ) == [("+", f"load_reports {report_path('western-bay')}"), ("~", f"load_reports {report_path('western-bay')}")]
    reasons = set(Finding.history.values_list("history_change_reason", flat=True))
    assert reasons == {f"load_reports {path}" for path in REPORT_PATHS}


def test_reports_load_again_changes_nothing_and_writes_no_history(loaded_reports):
    rows, history = row_counts(), history_counts()

    results = reports_load(paths=REPORT_PATHS)

    assert [result.outcome for result in results] == ["unchanged"] * 5
    assert [result.inspection.pk for result in results] == [result.inspection.pk for result in loaded_reports]
    assert row_counts() == rows
    assert history_counts() == history
    assert Inspection.history.count() == 5
    assert Finding.history.count() == ROWS_OF_THE_FIVE_REPORTS["Finding"]


def test_reports_load_in_another_order_changes_nothing():
    history = history_counts()
    results = reports_load(paths=list(reversed(REPORT_PATHS)))
    assert [result.outcome for result in results] == ["unchanged"] * 5
    assert history_counts() == history


def test_reports_load_same_inspection_twice_in_one_batch_is_refused():
    copy_path = write_json("swindon-copy.json", report_document("swindon"))
    history = history_counts()
    with pytest.raises(DocumentInvalid) as raised:
        reports_load(paths=[report_path("swindon"), copy_path])
    assert str(raised.value) == f"{copy_path}: $: describes the same inspection as {report_path('swindon')}"
    assert history_counts() == history


def test_reports_load_same_inspection_at_two_precisions_in_one_batch_is_refused():
    month = report_document("northamptonshire")
    month["published"] = "2015-05"
    day = report_document("northamptonshire")
    day["published"] = "2015-05-01"
    day["findings"][0]["text"] = "A different first paragraph."
    with pytest.raises(DocumentInvalid) as raised:
        documents_load(documents=[("month.json", month), ("day.json", day)])
    assert raised.value.problems == [("$", "describes the same inspection as month.json")]


# --- the export, and the round trip -----------------------------------------------------------------------


def test_inspection_documents_round_trip_gives_back_the_fixture_files():
    assert inspection_documents() == fixture_documents()


def test_inspection_documents_are_ordered_by_service_slug():
    assert [document["service"]["slug"] for document in inspection_documents()] == SLUGS


def test_export_reports_command_writes_the_fixture_files():
    out = StringIO()
    call_command("export_reports", stdout=out)
    assert json.loads(out.getvalue()) == fixture_documents()
    # Two-space indented, and the report's own characters kept (Warwickshire's typographic quotes).
    assert out.getvalue().startswith('[\n  {\n    "service": {\n      "name": "Bromley Youth Offending Service",')
    assert "rating of \u2018Good\u2019" in out.getvalue()


def test_export_reports_output_loads_back_unchanged():
    out = StringIO()
    call_command("export_reports", stdout=out)
    path = Path("reports.json")
    path.write_text(out.getvalue(), encoding="utf-8")
    history = history_counts()

    results = reports_load(paths=[path])

    assert [(result.source, result.outcome) for result in results] == [
        (f"{path}[{index}]", "unchanged") for index in range(5)
    ]
    assert history_counts() == history


def test_export_reports_output_loads_into_an_empty_database_as_it_was():
    out = StringIO()
    call_command("export_reports", stdout=out)
    path = Path("reports.json")
    path.write_text(out.getvalue(), encoding="utf-8")
    for model in reversed(MODELS[2:]):  # the inspections and everything in them; services stay
        model.objects.all().delete()
    assert inspection_documents() == []

    results = reports_load(paths=[path])

    assert [result.outcome for result in results] == ["created"] * 5
    assert inspection_documents() == fixture_documents()


def test_export_reports_status_filters_drafts():
    draft = report_document("western-bay")
    draft["status"] = "draft"
    [result] = reports_load(paths=[write_json("western-bay-draft.json", draft)])
    assert result.outcome == "updated"

    published = export("--status", "published")
    assert [document["service"]["slug"] for document in published] == SLUGS[:4]
    assert published == fixture_documents()[:4]
    assert export("--status", "draft") == [draft]
    assert export() == fixture_documents()[:4] + [draft]


def test_export_reports_refuses_an_unknown_status():
    with pytest.raises(CommandError) as raised:
        call_command("export_reports", "--status", "final", stdout=StringIO())
    assert "argument --status: invalid choice: 'final' (choose from " in str(raised.value)


# --- derived overall rating -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "later", "derived"),
    [
        ("western-bay", {"published": "2021-03"}, "Inadequate"),
        ("warwickshire", {"fieldwork_start": "2020-10"}, "Good"),
    ],
)
def test_reports_load_stores_the_derived_overall_rating(slug, later, derived):
    """A report loaded with overall_rating null gets the rating its standards add up to."""
    document = report_document(slug)
    document.update(later, overall_rating=None)  # a later inspection with the same ratings: a new row
    [result] = reports_load(paths=[write_json(f"{slug}-later.json", document)])

    assert result.outcome == "created"
    assert Inspection.objects.get(pk=result.inspection.pk).overall_rating.name == derived
    assert inspection_document(inspection=inspections_for_export().get(pk=result.inspection.pk)) == {
        **document,
        "overall_rating": derived,
    }
    assert Inspection.objects.filter(service__slug=slug).count() == 2


@pytest.mark.parametrize("slug", ["western-bay", "warwickshire"])
def test_reports_load_null_overall_of_a_stored_report_is_unchanged(slug):
    document = report_document(slug)
    document["overall_rating"] = None
    [result] = reports_load(paths=[write_json(f"{slug}.json", document)])
    assert result.outcome == "unchanged"


def test_reports_load_refuses_an_overall_rating_the_standards_contradict():
    document = report_document("western-bay")
    document["overall_rating"] = "Good"
    path = write_json("western-bay.json", document)
    with pytest.raises(DocumentInvalid) as raised:
        reports_load(paths=[path])
    assert str(raised.value) == (
        f"{path}: $.overall_rating: 'Good' is not the 'Inadequate' that the standards' ratings add up to under "
        "the framework's overall rule: correct the overall rating or the standards' ratings"
    )
    assert stored_document("western-bay") == report_document("western-bay")


# --- updating ---------------------------------------------------------------------------------------------


def test_reports_load_changed_finding_updates_the_inspection():
    document = report_document("swindon")
    assert document["findings"][20]["text"].startswith("4. The majority of assessments and plans were reviewed")
    document["findings"][20]["text"] = "4. Changed: the majority of assessments were reviewed."
    path = write_json("swindon-2015-06-corrected.json", document)
    swindon = Inspection.objects.get(service__slug="swindon")
    others = [d for d in fixture_documents() if d["service"]["slug"] != "swindon"]
    other_findings_history = Finding.history.exclude(inspection_id=swindon.pk).count()
    rows = row_counts()

    [result] = reports_load(paths=[path])

    assert result.outcome == "updated"
    assert result.inspection.pk == swindon.pk
    assert stored_document("swindon") == document
    assert [d for d in inspection_documents() if d["service"]["slug"] != "swindon"] == others
    assert row_counts() == rows
    changed = Finding.objects.get(inspection=swindon, position=20)
    assert changed.text == "4. Changed: the majority of assessments were reviewed."
    assert changed.standard.code == "1"
    assert Finding.history.exclude(inspection_id=swindon.pk).count() == other_findings_history

    reason = f"load_reports {path}"
    latest = Inspection.history.filter(id=swindon.pk).order_by("-history_id").first()
    assert (latest.history_type, latest.history_change_reason) == ("~", reason)
    assert path.name in latest.history_change_reason
    # The inspection's rows are replaced: each old one recorded as deleted, each new one as created.
    swindon_findings = Finding.history.filter(inspection_id=swindon.pk, history_change_reason=reason)
    assert swindon_findings.filter(history_type="-").count() == 157
    assert swindon_findings.filter(history_type="+").count() == 157
    assert swindon_findings.filter(history_type="+", text=changed.text).count() == 1


def test_reports_load_records_a_long_file_path():
    folder = Path("inspections-received-from-the-youth-offending-services-inspection-team-in-march-2019")
    folder.mkdir()
    document = report_document("western-bay")
    document["lead_inspector"] = "Y. McGuckian"
    path = write_json(str(folder / "western-bay-2019-03.json"), document)
    assert len(f"load_reports {path.resolve()}") > 100

    [result] = reports_load(paths=[path.resolve()])

    assert result.outcome == "updated"
    latest = Inspection.history.filter(id=result.inspection.pk).order_by("-history_id").first()
    assert "western-bay-2019-03.json" in latest.history_change_reason


def test_reports_load_update_records_the_user(inspector):
    document = report_document("northamptonshire")
    document["lead_inspector"] = "C. Nicklin"
    [result] = reports_load(paths=[write_json("n.json", document)], user=inspector)
    assert result.outcome == "updated"
    latest = Inspection.history.filter(id=result.inspection.pk).order_by("-history_id").first()
    assert latest.history_user == inspector
    assert latest.lead_inspector == "C. Nicklin"
    assert {
        r.history_user_id
        for r in Finding.history.filter(inspection_id=result.inspection.pk, history_type="+").order_by("-history_id")[
            :29
        ]
    } == {inspector.pk}


def test_reports_load_new_local_authority_list_replaces_the_old():
    document = report_document("western-bay")
    document["service"]["local_authorities"] = ["Swansea", "Neath Port Talbot"]  # Bridgend has left
    [result] = reports_load(paths=[write_json("western-bay.json", document)])
    assert result.outcome == "updated"
    assert stored_document("western-bay")["service"]["local_authorities"] == ["Swansea", "Neath Port Talbot"]
    service = Service.objects.get(slug="western-bay")
    assert sorted(service.local_authorities.values_list("name", flat=True)) == ["Neath Port Talbot", "Swansea"]


# --- atomicity --------------------------------------------------------------------------------------------


def test_reports_load_batch_with_a_bad_file_writes_nothing():
    good = report_document("northamptonshire")
    good["published"] = "2016-05-11"  # a later, new inspection: would be created
    bad = report_document("swindon")
    bad["service"]["nation"] = "Scotland"
    good_path = write_json("northamptonshire-2016-05.json", good)
    bad_path = write_json("swindon-bad.json", bad)
    rows, history, documents = row_counts(), history_counts(), inspection_documents()

    with pytest.raises(DocumentInvalid) as raised:
        reports_load(paths=[good_path, bad_path])

    assert raised.value.source == str(bad_path)
    assert row_counts() == rows
    assert history_counts() == history
    assert inspection_documents() == documents
    assert not Inspection.objects.filter(service__slug="northamptonshire", published_on__year=2016).exists()


def test_reports_load_batch_failing_while_writing_rolls_back_the_good_file():
    """The second document passes every check on its own but names Swindon as Welsh: refused mid-transaction."""
    good = report_document("northamptonshire")
    good["published"] = "2016-05-11"
    bad = report_document("swindon")
    bad["service"]["nation"] = "Wales"
    good_path = write_json("northamptonshire-2016-05.json", good)
    bad_path = write_json("swindon-wales.json", bad)
    rows, history, documents = row_counts(), history_counts(), inspection_documents()

    with pytest.raises(DocumentInvalid) as raised:
        reports_load(paths=[good_path, bad_path])

    assert str(raised.value) == f"{bad_path}: $.service.nation: service 'swindon' is in England, not Wales"
    assert row_counts() == rows
    assert history_counts() == history
    assert inspection_documents() == documents


# --- the load_reports command -----------------------------------------------------------------------------


def test_load_reports_command_reports_each_outcome():
    later = report_document("western-bay")
    later.update(published="2021-03", overall_rating=None)
    later_path = write_json("western-bay-2021-03.json", later)
    corrected = report_document("swindon")
    corrected["findings"][20]["text"] = "4. Changed."
    corrected_path = write_json("swindon-2015-06.json", corrected)
    unchanged = [path for path in REPORT_PATHS if "swindon" not in path.name]
    out = StringIO()

    call_command("load_reports", *map(str, [*unchanged, corrected_path, later_path]), stdout=out)

    assert out.getvalue().splitlines() == [
        f"{unchanged[0]}: unchanged (Bromley Youth Offending Service, May 2015)",
        f"{unchanged[1]}: unchanged (Northamptonshire Youth Offending Service, 11 May 2015)",
        f"{unchanged[2]}: unchanged (Warwickshire Youth Justice Service, fieldwork October 2018)",
        f"{unchanged[3]}: unchanged (Western Bay Youth Justice and Early Intervention Service, March 2019)",
        f"{corrected_path}: updated (Swindon Youth Offending Team, June 2015)",
        f"{later_path}: created (Western Bay Youth Justice and Early Intervention Service, March 2021)",
        "6 documents: 1 created, 1 updated, 4 unchanged",
    ]


def test_load_reports_command_all_unchanged():
    out = StringIO()
    call_command("load_reports", *map(str, REPORT_PATHS), stdout=out)
    assert out.getvalue().splitlines()[-1] == "5 documents: 0 created, 0 updated, 5 unchanged"
    assert len(out.getvalue().splitlines()) == 6


def test_load_reports_command_refuses_with_nothing_loaded():
    good = report_document("northamptonshire")
    good["published"] = "2016-05-11"
    bad = report_document("western-bay")
    bad["service"]["nation"] = "Scotland"
    bad["key_questions"][2]["percent_yes"] = 101
    good_path = write_json("good.json", good)
    bad_path = write_json("bad.json", bad)
    rows, history = row_counts(), history_counts()
    out = StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("load_reports", str(good_path), str(bad_path), stdout=out)

    assert str(raised.value) == (
        "Nothing was loaded.\n"
        f"{bad_path}: $.service.nation: 'Scotland' is not a known nation (one of: England, Wales)\n"
        f"{bad_path}: $.key_questions[2].percent_yes: 101 is out of range (0 to 100)"
    )
    assert out.getvalue() == ""
    assert row_counts() == rows
    assert history_counts() == history


def test_load_reports_command_refuses_an_unknown_user():
    with pytest.raises(CommandError) as raised:
        call_command("load_reports", str(REPORT_PATHS[0]), "--user", "nobody", stdout=StringIO())
    assert str(raised.value) == "--user 'nobody': no such user"


def test_load_reports_command_records_the_user(inspector):
    document = report_document("bromley")
    document["lead_inspector"] = "J. Attwood"
    path = write_json("bromley.json", document)
    call_command("load_reports", str(path), "--user", "inspector", stdout=StringIO())
    latest = Inspection.history.filter(service__slug="bromley").order_by("-history_id").first()
    assert (latest.history_user, latest.history_change_reason) == (inspector, f"load_reports {path}")


# --- gaps in the source stay unknown ----------------------------------------------------------------------


def test_warwickshire_gaps_stay_null_in_the_database():
    inspection = Inspection.objects.get(service__slug="warwickshire")
    assert inspection.published_on is None
    assert inspection.fieldwork_start_on.isoformat() == "2018-10-01"
    assert inspection.fieldwork_start_precision == "month"
    assert inspection.fieldwork_end_on is None
    assert inspection.lead_inspector == ""
    assert (inspection.cases_court, inspection.cases_out_of_court, inspection.cases_total) == (24, 15, None)
    scores = {
        score.key_question.code: score
        for score in KeyQuestionScore.objects.filter(inspection=inspection).select_related("key_question")
    }
    assert len(scores) == 23
    assert [scores[code].percent_yes for code in ("3.3.1", "3.3.2", "3.3.3")] == [None, None, None]
    assert all(scores[code].note.startswith("Lost to OCR") for code in ("3.3.1", "3.3.2", "3.3.3"))
    assert [scores[code].percent_yes for code in ("2.4.1", "3.4.1", "3.4.2")] == [96, 50, 71]
    facts = {fact.measure: fact for fact in KeyFact.objects.filter(inspection=inspection)}
    assert (facts["reoffending_rate"].value, facts["reoffending_rate"].comparator_value) == (None, None)
    assert facts["first_time_entrants_rate"].value is None


def test_warwickshire_gaps_stay_null_in_the_export():
    document = stored_document("warwickshire")
    assert (document["published"], document["lead_inspector"], document["fieldwork_end"]) == (None, None, None)
    assert document["cases"] == {"court": 24, "out_of_court": 15, "total": None}
    assert [(q["code"], q["percent_yes"]) for q in document["key_questions"] if q["code"].startswith("3.3.")] == [
        ("3.3.1", None),
        ("3.3.2", None),
        ("3.3.3", None),
    ]


def test_warwickshire_key_question_wording_is_kept_as_printed():
    inspection = Inspection.objects.get(service__slug="warwickshire")
    score = KeyQuestionScore.objects.select_related("key_question").get(
        inspection=inspection, key_question__code="3.4.1"
    )
    assert score.key_question.text == (
        "Are the YOS's recommendations sufficiently well-informed, analytical and personalised to the child or "
        "young person, supporting joint decision-making?"
    )
    assert score.wording == (
        "Are the YOT's recommendations sufficiently well-informed, analytical and personalised to the child or "
        "young person, supporting joint decision-making?"
    )
    # The same framework question, scored by both 2018 reports.
    western_bay = KeyQuestionScore.objects.get(inspection__service__slug="western-bay", key_question__code="3.4.1")
    assert western_bay.key_question_id == score.key_question_id
    assert western_bay.wording == ""
    assert [q["text"] for q in stored_document("warwickshire")["key_questions"] if q["code"] == "3.4.1"] == [
        score.wording
    ]
