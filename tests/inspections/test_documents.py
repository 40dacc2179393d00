"""What an inspection document must be (``inspections.documents.document_check``), and how a bad one is refused.

The five seed reports are loaded once for the module (``loaded_reports``); every refusal is then checked to name
the file and the exact JSON path, and to leave the database exactly as it was.
"""

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from inspections.documents import document_check
from inspections.jsonchecks import DocumentInvalid
from inspections.selectors import inspection_documents
from inspections.services import reports_load
from ratings.selectors import framework_catalogues
from tests.conftest import MODELS, SLUGS, report_document, report_path

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.usefixtures("loaded_reports")]

OVERALL_CONTRADICTION = (
    "is not the {derived!r} that the standards' ratings add up to under the framework's overall rule: "
    "correct the overall rating or the standards' ratings"
)
RULE_BROKEN_3_3 = (
    "standard 3.3: rating 'Inadequate' differs from 'Requires improvement', which the lowest key question "
    "(3.3.2 at 50%) proposes: correct the rating, or set professional discretion and give the reason"
)


def check(document) -> dict:
    return document_check(document, source="test.json", catalogues=framework_catalogues())


def problems_of(document) -> list[tuple[str, str]]:
    with pytest.raises(DocumentInvalid) as raised:
        check(document)
    return raised.value.problems


def database_snapshot() -> tuple:
    """Everything a refused load must leave alone: row counts, history counts, and the whole export."""
    return (
        {model.__name__: model.objects.count() for model in MODELS},
        {model.__name__: model.history.count() for model in MODELS},
        inspection_documents(),
    )


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


# --- the canonical form -----------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_document_check_fixture_is_already_canonical(slug):
    document = report_document(slug)
    assert check(copy.deepcopy(document)) == document


def test_document_check_orders_judgements_and_questions_as_the_framework_does():
    document = report_document("western-bay")
    shuffled = copy.deepcopy(document)
    shuffled["judgements"].reverse()
    shuffled["key_questions"].reverse()
    shuffled["recommendations"].reverse()
    assert check(shuffled) == document


def test_document_check_keeps_findings_and_key_facts_in_report_order():
    document = report_document("western-bay")
    document["findings"].reverse()
    document["key_facts"].reverse()
    canonical = check(copy.deepcopy(document))
    assert canonical["findings"] == document["findings"]
    assert canonical["key_facts"] == document["key_facts"]


def test_document_check_optional_keys_may_be_left_out():
    document = report_document("northamptonshire")
    del document["title"], document["notes"]
    canonical = check(document)
    assert canonical["title"] is None
    assert canonical["notes"] == []


def test_document_check_collects_every_problem_in_one_pass():
    document = report_document("western-bay")
    document["service"]["nation"] = "Scotland"
    document["published"] = "March 2019"
    document["key_questions"][0]["percent_yes"] = 101
    document["findings"][3]["kind"] = "opinion"
    assert [path for path, _ in problems_of(document)] == [
        "$.service.nation",
        "$.published",
        "$.key_questions[0].percent_yes",
        "$.findings[3].kind",
    ]


# --- the overall rule -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("slug", "derived"), [("western-bay", "Inadequate"), ("warwickshire", "Good")])
def test_document_check_derives_a_missing_overall_rating(slug, derived):
    document = report_document(slug)
    document["overall_rating"] = None
    assert check(document)["overall_rating"] == derived


@pytest.mark.parametrize("slug", ["bromley", "northamptonshire", "swindon"])
def test_document_check_frameworks_without_an_overall_rule_derive_none(slug):
    document = report_document(slug)
    assert document["overall_rating"] is None
    assert check(document)["overall_rating"] is None


def test_document_check_derives_none_when_a_standard_is_unrated():
    document = report_document("western-bay")
    document["overall_rating"] = None
    document["judgements"][0]["rating"] = None
    assert check(document)["overall_rating"] is None


@pytest.mark.parametrize(
    ("slug", "stated", "derived"),
    [("western-bay", "Good", "Inadequate"), ("warwickshire", "Outstanding", "Good")],
)
def test_document_check_refuses_an_overall_rating_the_standards_contradict(slug, stated, derived):
    document = report_document(slug)
    document["overall_rating"] = stated
    assert problems_of(document) == [
        ("$.overall_rating", f"{stated!r} " + OVERALL_CONTRADICTION.format(derived=derived)),
    ]


def test_document_check_western_bay_without_discretion_on_3_3_would_require_improvement_overall():
    """Western Bay is at 6 points, the top of Inadequate: 3.3 at the proposed grade adds one point."""
    document = report_document("western-bay")
    document["judgements"][10].update(rating="Requires improvement", professional_discretion=False, note=None)
    assert problems_of(document) == [
        ("$.overall_rating", "'Inadequate' " + OVERALL_CONTRADICTION.format(derived="Requires improvement")),
    ]
    document["overall_rating"] = None
    assert check(document)["overall_rating"] == "Requires improvement"


# --- the key-question rule and professional discretion ----------------------------------------------------


def test_document_check_refuses_western_bay_3_3_without_discretion():
    document = report_document("western-bay")
    assert document["judgements"][10]["code"] == "3.3"
    document["judgements"][10]["professional_discretion"] = False
    assert problems_of(document) == [("$.judgements[10]", RULE_BROKEN_3_3)]


def test_document_check_refuses_discretion_without_its_note():
    document = report_document("western-bay")
    document["judgements"][10]["note"] = None
    assert problems_of(document) == [
        ("$.judgements[10]", "standard 3.3: professional discretion needs its reason in the note"),
    ]


def test_document_check_refuses_discretion_with_a_blank_note():
    document = report_document("western-bay")
    document["judgements"][10]["note"] = "   "
    assert problems_of(document) == [
        ("$.judgements[10].note", "must not be empty (use null for unknown)"),
        ("$.judgements[10]", "standard 3.3: professional discretion needs its reason in the note"),
    ]


def test_document_check_refuses_a_rating_that_a_changed_percentage_contradicts():
    document = report_document("warwickshire")
    assert (document["judgements"][11]["code"], document["key_questions"][21]["code"]) == ("3.4", "3.4.1")
    document["key_questions"][21]["percent_yes"] = 65  # 3.4.1 65%, 3.4.2 71%: Good, not Requires improvement
    assert problems_of(document) == [
        (
            "$.judgements[11]",
            "standard 3.4: rating 'Requires improvement' differs from 'Good', which the lowest key question "
            "(3.4.1 at 65%) proposes: correct the rating, or set professional discretion and give the reason",
        ),
    ]


def test_document_check_lost_percentages_leave_the_stated_rating_alone():
    document = report_document("warwickshire")
    for question in document["key_questions"][18:21]:
        assert question["code"].startswith("3.3.")
        assert question["percent_yes"] is None
    document["judgements"][10]["rating"] = "Inadequate"  # nothing to check 3.3 against
    document["overall_rating"] = None
    assert check(document)["judgements"][10]["rating"] == "Inadequate"


def test_document_check_judgement_rated_standards_have_no_rule():
    document = report_document("warwickshire")
    document["judgements"][0]["rating"] = "Outstanding"  # 1.1, rated by judgement
    document["overall_rating"] = None
    assert check(document)["overall_rating"] == "Good"  # 28 points


# --- key-question wording ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "printed",
    [
        "Are the YOT's recommendations sufficiently well-informed, analytical and personalised to the child or "
        "young person, supporting joint decision-making?",
        "Are the YJS's recommendations sufficiently well-informed, analytical and personalised to the child or "
        "young person, supporting joint decision-making?",
        "Are the YOT\u2019s recommendations sufficiently well-informed, analytical and\n  personalised to the "
        "child or young person, supporting joint decision-making?",
    ],
    ids=["yot", "yjs", "typographic-apostrophe-and-line-break"],
)
def test_document_check_keeps_a_key_question_as_the_report_prints_it(printed):
    document = report_document("warwickshire")
    document["key_questions"][21]["text"] = printed
    assert check(document)["key_questions"][21]["text"] == printed


def test_document_check_refuses_the_wording_of_another_question():
    document = report_document("warwickshire")
    document["key_questions"][21]["text"] = document["key_questions"][22]["text"]
    assert problems_of(document) == [
        (
            "$.key_questions[21].text",
            "does not match the framework's wording of 3.4.1: \"Are the YOS's recommendations sufficiently "
            "well-informed, analytical and personalised to the child or young person, supporting joint "
            'decision-making?"',
        ),
    ]


def test_document_check_refuses_a_question_with_one_word_changed():
    document = report_document("western-bay")
    document["key_questions"][0]["text"] = document["key_questions"][0]["text"].replace("desistance", "progress")
    assert [path for path, _ in problems_of(document)] == ["$.key_questions[0].text"]


# --- the rejection corpus: each a mutation of a real fixture ----------------------------------------------


def at(document, keys):
    for key in keys:
        document = document[key]
    return document


def setting(keys: tuple, value) -> Callable[[dict], None]:
    def edit(document):
        at(document, keys[:-1])[keys[-1]] = value

    return edit


def deleting(keys: tuple) -> Callable[[dict], None]:
    def edit(document):
        del at(document, keys[:-1])[keys[-1]]

    return edit


def appending(keys: tuple, value) -> Callable[[dict], None]:
    def edit(document):
        at(document, keys).append(value)

    return edit


def copying(source: tuple, target: tuple) -> Callable[[dict], None]:
    def edit(document):
        at(document, target[:-1])[target[-1]] = copy.deepcopy(at(document, source))

    return edit


def text_of(source: tuple, target: tuple) -> Callable[[dict], None]:
    def edit(document):
        at(document, target[:-1])[target[-1]] = at(document, source)

    return edit


WB = "western-bay"
RATINGS_2018 = "(Outstanding, Good, Requires improvement, Inadequate)"
REJECTIONS = [
    # wrong types
    (
        "cases-court-string",
        WB,
        setting(("cases", "court"), "31"),
        [("$.cases.court", "must be a whole number, not '31'")],
    ),
    (
        "cases-negative",
        WB,
        setting(("cases", "out_of_court"), -20),
        [("$.cases.out_of_court", "-20 is out of range (0 to 100000)")],
    ),
    ("judgements-object", WB, setting(("judgements",), {}), [("$.judgements", "must be a list, not an object")]),
    (
        "discretion-string",
        WB,
        setting(("judgements", 0, "professional_discretion"), "no"),
        [("$.judgements[0].professional_discretion", "must be true or false, not 'no'")],
    ),
    (
        "service-name-number",
        WB,
        setting(("service", "name"), 7),
        [("$.service.name", "must be a string, not a number")],
    ),
    (
        "lead-inspector-empty",
        WB,
        setting(("lead_inspector",), ""),
        [("$.lead_inspector", "must not be empty (use null for unknown)")],
    ),
    # framework and keys
    (
        "unknown-framework",
        WB,
        setting(("framework",), "standards-2021"),
        [("$.framework", "'standards-2021' is not a known framework (fji-2015, sqs-2015, standards-2018)")],
    ),
    (
        "unknown-judgement-key",
        WB,
        setting(("judgements", 0, "weight"), 1),
        [
            (
                "$.judgements[0].weight",
                "unknown key (allowed here: code, name, domain, rating, score_percent, professional_discretion, note)",
            )
        ],
    ),
    (
        "missing-top-level-key",
        WB,
        deleting(("status",)),
        [("$", "missing key 'status'"), ("$.status", "null is not a known status (one of: draft, published)")],
    ),
    (
        "missing-question-key",
        WB,
        deleting(("key_questions", 0, "percent_yes")),
        [("$.key_questions[0]", "missing key 'percent_yes'")],
    ),
    (
        "status-unknown",
        WB,
        setting(("status",), "final"),
        [("$.status", "'final' is not a known status (one of: draft, published)")],
    ),
    # ratings and percentages
    (
        "rating-off-scale",
        WB,
        setting(("judgements", 0, "rating"), "Satisfactory"),
        [("$.judgements[0].rating", f"'Satisfactory' is not a rating of the standards-2018 framework {RATINGS_2018}")],
    ),
    (
        "overall-off-scale",
        WB,
        setting(("overall_rating",), "Satisfactory"),
        [("$.overall_rating", f"'Satisfactory' is not a rating of the standards-2018 framework {RATINGS_2018}")],
    ),
    (
        "rating-on-a-framework-without-ratings",
        "northamptonshire",
        setting(("overall_rating",), "Good"),
        [("$.overall_rating", "'Good' is not a rating of the sqs-2015 framework (this framework gives no ratings)")],
    ),
    (
        "percent-101",
        WB,
        setting(("key_questions", 2, "percent_yes"), 101),
        [("$.key_questions[2].percent_yes", "101 is out of range (0 to 100)")],
    ),
    (
        "percent-minus-1",
        WB,
        setting(("key_questions", 2, "percent_yes"), -1),
        [("$.key_questions[2].percent_yes", "-1 is out of range (0 to 100)")],
    ),
    (
        "percent-fraction",
        WB,
        setting(("key_questions", 2, "percent_yes"), 37.5),
        [("$.key_questions[2].percent_yes", "must be a whole number, not 37.5")],
    ),
    (
        "score-percent-string",
        "swindon",
        setting(("judgements", 0, "score_percent"), "74"),
        [("$.judgements[0].score_percent", "must be a whole number, not '74'")],
    ),
    # codes and names against the framework
    (
        "duplicate-standard",
        WB,
        copying(("judgements", 0), ("judgements", 1)),
        [("$.judgements[1].code", "standard 1.1 is judged twice")],
    ),
    (
        "unknown-standard",
        WB,
        setting(("judgements", 3, "code"), "1.5"),
        [
            (
                "$.judgements[3].code",
                "'1.5' is not a standard of standards-2018 "
                "(1.1, 1.2, 1.3, 1.4, 2.1, 2.2, 2.3, 2.4, 3.1, 3.2, 3.3, 3.4)",
            )
        ],
    ),
    (
        "judgement-in-the-wrong-domain",
        WB,
        setting(("judgements", 4, "domain"), "3"),
        [("$.judgements[4].domain", "standard 2.1 belongs to domain '2', not '3'")],
    ),
    (
        "judgement-name-mismatch",
        WB,
        setting(("judgements", 0, "name"), "Leadership"),
        [("$.judgements[0].name", "'Leadership' is not the framework's name for 1.1: 'Governance and leadership'")],
    ),
    (
        "unknown-key-question",
        WB,
        setting(("key_questions", 2, "code"), "2.1.4"),
        [("$.key_questions[2].code", "'2.1.4' is not a key question of standards-2018")],
    ),
    (
        "duplicate-key-question",
        WB,
        copying(("key_questions", 0), ("key_questions", 1)),
        [("$.key_questions[1].code", "key question 2.1.1 is scored twice")],
    ),
    (
        "key-question-text-of-another-question",
        WB,
        text_of(("key_questions", 1, "text"), ("key_questions", 0, "text")),
        [
            (
                "$.key_questions[0].text",
                "does not match the framework's wording of 2.1.1: \"Does assessment "
                "sufficiently analyse how to support the child or young person's desistance?\"",
            )
        ],
    ),
    # findings and recommendations
    (
        "unknown-finding-kind",
        WB,
        setting(("findings", 0, "kind"), "opinion"),
        [
            (
                "$.findings[0].kind",
                "'opinion' is not a known finding kind (one of: summary, key_finding, explanation, "
                "strength, area_for_improvement, notable_practice, quote)",
            )
        ],
    ),
    (
        "finding-standard-not-in-framework",
        "swindon",
        setting(("findings", 11, "standard"), "2.1"),
        [("$.findings[11].standard", "'2.1' is neither a standard nor a domain of fji-2015")],
    ),
    ("finding-text-empty", WB, setting(("findings", 7, "text"), ""), [("$.findings[7].text", "must not be empty")]),
    ("finding-text-blank", WB, setting(("findings", 7, "text"), " \n "), [("$.findings[7].text", "must not be empty")]),
    (
        "duplicate-recommendation-number",
        WB,
        setting(("recommendations", 1, "number"), 1),
        [("$.recommendations[1].number", "recommendation 1 appears twice")],
    ),
    (
        "recommendation-number-0",
        WB,
        setting(("recommendations", 0, "number"), 0),
        [("$.recommendations[0].number", "0 is out of range (1 to 1000)")],
    ),
    (
        "recommendation-unknown-domain",
        WB,
        setting(("recommendations", 0, "domain"), "4"),
        [("$.recommendations[0].domain", "'4' is not a domain of standards-2018")],
    ),
    # dates
    ("date-month-13", WB, setting(("published",), "2019-13"), [("$.published", "'2019-13' is not a real date")]),
    (
        "date-in-words",
        WB,
        setting(("published",), "March 2019"),
        [("$.published", "must be a date as YYYY-MM-DD or YYYY-MM, not 'March 2019'")],
    ),
    (
        "date-30-february",
        WB,
        setting(("fieldwork_start",), "2018-02-30"),
        [("$.fieldwork_start", "'2018-02-30' is not a real date")],
    ),
    (
        "fieldwork-end-before-start",
        "northamptonshire",
        setting(("fieldwork_end",), "2015-03-08"),
        [("$.fieldwork_end", "is before fieldwork_start")],
    ),
    (
        "fieldwork-end-month-before-start",
        WB,
        setting(("fieldwork_end",), "2018-11"),
        [("$.fieldwork_end", "is before fieldwork_start")],
    ),
    # the service
    (
        "nation-scotland",
        WB,
        setting(("service", "nation"), "Scotland"),
        [("$.service.nation", "'Scotland' is not a known nation (one of: England, Wales)")],
    ),
    (
        "slug-with-capitals-and-space",
        WB,
        setting(("service", "slug"), "Western Bay"),
        [("$.service.slug", "'Western Bay' must be lower-case letters and digits joined by - or _")],
    ),
    (
        "local-authority-twice",
        WB,
        appending(("service", "local_authorities"), "Swansea"),
        [("$.service.local_authorities[3]", "'Swansea' is listed twice")],
    ),
    # key facts
    (
        "key-fact-value-with-percent-sign",
        WB,
        setting(("key_facts", 1, "value"), "47.9%"),
        [("$.key_facts[1].value", "must be a number or null, not '47.9%'")],
    ),
    (
        "key-fact-too-precise",
        WB,
        setting(("key_facts", 1, "value"), 47.9123),
        [("$.key_facts[1].value", "has more than 3 decimal places: 47.9123")],
    ),
    (
        "comparator-value-without-comparator",
        WB,
        setting(("key_facts", 0, "comparator"), None),
        [("$.key_facts[0].comparator", "a comparator_value needs the comparator it belongs to")],
    ),
]


@pytest.mark.parametrize(
    ("slug", "edit", "problems"),
    [case[1:] for case in REJECTIONS],
    ids=[case[0] for case in REJECTIONS],
)
def test_reports_load_refuses_a_bad_document_naming_file_and_path(tmp_path, slug, edit, problems):
    document = report_document(slug)
    edit(document)
    path = write_json(tmp_path / f"{slug}-edited.json", document)
    before = database_snapshot()

    with pytest.raises(DocumentInvalid) as raised:
        reports_load(paths=[path])

    assert raised.value.source == str(path)
    assert raised.value.problems == problems
    first_path, first_message = problems[0]
    assert str(raised.value).startswith(f"{path}: {first_path}: {first_message}")
    assert database_snapshot() == before


def test_reports_load_refuses_an_unknown_top_level_key(tmp_path):
    document = report_document(WB)
    document["rating"] = "Inadequate"
    path = write_json(tmp_path / "western-bay-edited.json", document)
    before = database_snapshot()

    with pytest.raises(DocumentInvalid) as raised:
        reports_load(paths=[path])

    [(problem_path, message)] = raised.value.problems
    assert problem_path == "$.rating"
    assert str(raised.value).startswith(f"{path}: $.rating: unknown key (allowed here: ")
    # The optional keys are kept in a set, so their order in the message varies from run to run: compare as a set.
    allowed = message.removeprefix("unknown key (allowed here: ").removesuffix(")").split(", ")
    assert allowed[:14] == [
        "service",
        "framework",
        "status",
        "published",
        "fieldwork_start",
        "fieldwork_end",
        "lead_inspector",
        "cases",
        "overall_rating",
        "judgements",
        "key_questions",
        "recommendations",
        "findings",
        "key_facts",
    ]
    assert sorted(allowed[14:]) == ["notes", "title"]
    assert database_snapshot() == before


def test_rejection_corpus_is_large_enough():
    assert len(REJECTIONS) >= 20
    assert len({name for name, *_ in REJECTIONS}) == len(REJECTIONS)


def test_reports_load_refuses_a_document_that_is_not_an_object(tmp_path):
    path = write_json(tmp_path / "string.json", "western-bay")
    before = database_snapshot()
    with pytest.raises(DocumentInvalid) as raised:
        reports_load(paths=[path])
    assert str(raised.value) == f"{path}: $: must be an object, not a string"
    assert database_snapshot() == before


def test_reports_load_refuses_a_list_with_a_bad_document_naming_its_index(tmp_path):
    """A file may hold a list of documents (an export); a problem names the file and the document's index."""
    bad = report_document("swindon")
    bad["judgements"][0]["score_percent"] = 101
    path = write_json(tmp_path / "export.json", [report_document(WB), bad, 3])
    before = database_snapshot()
    with pytest.raises(DocumentInvalid) as raised:
        reports_load(paths=[path])
    assert str(raised.value) == f"{path}[1]: $.judgements[0].score_percent: 101 is out of range (0 to 100)"
    assert database_snapshot() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            # The real file, cut off where the judgements begin.
            report_path(WB).read_bytes().partition(b'"judgements"')[0],
            "not valid JSON: Expecting property name enclosed in double quotes at line 34 column 3",
        ),
        (b'{"service": "Ynys M\xf4n"}', "not UTF-8 text (invalid continuation byte at byte 19)"),
        (b"", "not valid JSON: Expecting value at line 1 column 1"),
    ],
    ids=["truncated", "latin-1", "empty"],
)
def test_reports_load_refuses_an_unreadable_file(tmp_path, content, message):
    path = tmp_path / "report.json"
    path.write_bytes(content)
    before = database_snapshot()
    with pytest.raises(DocumentInvalid) as raised:
        reports_load(paths=[path])
    assert raised.value.problems == [("$", message)]
    assert str(raised.value) == f"{path}: $: {message}"
    assert database_snapshot() == before


def test_reports_load_refuses_a_missing_file(tmp_path):
    path = tmp_path / "no-such-report.json"
    before = database_snapshot()
    with pytest.raises(DocumentInvalid) as raised:
        reports_load(paths=[path])
    assert str(raised.value) == f"{path}: $: file not found"
    assert database_snapshot() == before


# --- known defects ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "edit", "path"),
    [
        (WB, setting(("judgements", 0, "rating"), ["Inadequate"]), "$.judgements[0].rating"),
        (WB, setting(("overall_rating",), {"rating": "Inadequate"}), "$.overall_rating"),
        ("swindon", setting(("findings", 11, "standard"), ["1"]), "$.findings[11].standard"),
        (WB, setting(("recommendations", 0, "domain"), ["1"]), "$.recommendations[0].domain"),
    ],
    ids=["judgement-rating-list", "overall-rating-object", "finding-standard-list", "recommendation-domain-list"],
)
def test_document_check_refuses_a_list_or_object_where_a_code_belongs(slug, edit, path):
    document = report_document(slug)
    edit(document)
    assert [problem_path for problem_path, _ in problems_of(document)] == [path]


def test_document_check_refuses_an_overall_rating_on_a_framework_without_one():
    document = report_document("swindon")
    document["overall_rating"] = "Good"
    assert [path for path, _ in problems_of(document)] == ["$.overall_rating"]
