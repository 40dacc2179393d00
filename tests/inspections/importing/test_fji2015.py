"""The FJI 2015 parser against the Swindon and Bromley seed texts and their curated fixtures.

First exact agreement with the fixtures (the acceptance fields, then everything else the text gives), the source
lines of a few values, and that nothing absent from the text is invented; then the same texts changed the ways real
reports differ (wrapping, `per cent`, curly quotes, page furniture inside a section, a section lost).
"""

import copy
import json
import re
import textwrap

import pytest

from inspections.documents import document_check
from inspections.importing.agreement import agreement
from inspections.importing.formats import fji2015
from inspections.importing.text import ReportText, normalise_line
from ratings.selectors import framework_catalogues
from tests.conftest import FIXTURES

SEEDS = ["swindon-2015-06", "bromley-2015-05"]


def seed_raw(name: str) -> str:
    return (FIXTURES / "report-texts" / f"{name}.txt").read_text(encoding="utf-8")


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / "reports" / f"{name}.json").read_text(encoding="utf-8"))


def typographic(value):
    """A fixture value as the importer reads its text: straight quotes, hyphens for dashes, single spaces."""
    if isinstance(value, str):
        return normalise_line(value)
    if isinstance(value, list):
        return [typographic(item) for item in value]
    if isinstance(value, dict):
        return {key: typographic(item) for key, item in value.items()}
    return value


def parse(raw: str):
    return fji2015.parse(ReportText(raw))


def lines_of(raw: str) -> list[str]:
    return raw.split("\n")


def differences(expected, got, path: str = "") -> list[str]:
    """The paths at which two documents differ."""
    if type(expected) is not type(got):
        return [path]
    if isinstance(expected, dict):
        return [
            p
            for key in sorted(set(expected) | set(got))
            for p in differences(expected.get(key), got.get(key), f"{path}/{key}")
        ]
    if isinstance(expected, list):
        if len(expected) != len(got):
            return [path]
        return [p for i, (a, b) in enumerate(zip(expected, got, strict=True)) for p in differences(a, b, f"{path}/{i}")]
    return [] if expected == got else [path]


def null_paths(document: dict) -> set[str]:
    """Every value the document leaves null, by the importer's field paths."""
    paths = {f"service/{key}" for key, value in document["service"].items() if value is None}
    paths |= {
        key
        for key in ("published", "fieldwork_start", "fieldwork_end", "lead_inspector", "overall_rating", "title")
        if document[key] is None
    }
    paths |= {f"cases/{key}" for key, value in document["cases"].items() if value is None}
    for judgement in document["judgements"]:
        for key in ("rating", "score_percent"):
            if judgement[key] is None:
                paths.add(f"judgements/{judgement['code']}/{key}")
    for fact in document["key_facts"]:
        for key in ("value", "comparator_value", "period", "source"):
            if fact[key] is None:
                paths.add(f"key_facts/{fact['measure']}/{key}")
    return paths


# --- agreement with the curated fixtures ----------------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize("seed", SEEDS)
def test_fji_acceptance_fields_agree_exactly_with_the_fixture(seed):
    document = parse(seed_raw(seed)).document
    expected = fixture(seed)
    assert document["framework"] == "fji-2015"
    assert document["status"] == "draft"
    assert document["overall_rating"] is None
    assert [
        (j["code"], j["name"], j["rating"], j["score_percent"], j["professional_discretion"])
        for j in document["judgements"]
    ] == [
        (j["code"], j["name"], j["rating"], j["score_percent"], j["professional_discretion"])
        for j in expected["judgements"]
    ]
    assert document["key_questions"] == expected["key_questions"] == []
    assert [(r["number"], r["addressee"], r["text"]) for r in document["recommendations"]] == [
        (r["number"], typographic(r["addressee"]), typographic(r["text"])) for r in expected["recommendations"]
    ]
    result = agreement(document, expected)
    assert result.mismatches == []
    assert result.figure == {"swindon-2015-06": "31/31", "bromley-2015-05": "58/58"}[seed]


@pytest.mark.unit
@pytest.mark.parametrize("seed", SEEDS)
def test_fji_dates_people_cases_and_service_agree_with_the_fixture(seed):
    document = parse(seed_raw(seed)).document
    expected = fixture(seed)
    for key in ("title", "published", "fieldwork_start", "fieldwork_end", "lead_inspector", "cases"):
        assert document[key] == expected[key], key
    assert document["service"] == {**expected["service"], "nation": None}


@pytest.mark.unit
def test_fji_swindon_values_are_the_reports_own():
    document = parse(seed_raw("swindon-2015-06")).document
    assert (document["published"], document["fieldwork_start"], document["fieldwork_end"]) == (
        "2015-06",
        "2015-03-02",
        "2015-03",
    )
    assert document["lead_inspector"] == "Vivienne Clarke"
    assert document["cases"] == {"court": None, "out_of_court": None, "total": 34}
    assert [j["rating"] for j in document["judgements"]] == [
        "Satisfactory",
        "Unsatisfactory",
        "Unsatisfactory",
        "Good",
        "Unsatisfactory",
        "Satisfactory",
    ]
    assert [j["score_percent"] for j in document["judgements"]] == [74, 63, 64, 91, None, 79]
    assert document["recommendations"][3] == {
        "number": 4,
        "addressee": "YOT manager",
        "text": "effective YOT and partnership working arrangements should promote the safeguarding of children and "
        "young people and the protection of the public and victims: specifically, assessment, planning, and the "
        "delivery of interventions should be of good quality and underpinned by effective joint working "
        "structures, protocols and guidance.",
    }


@pytest.mark.unit
@pytest.mark.parametrize("seed", SEEDS)
def test_fji_findings_agree_with_the_fixture_kind_standard_text_and_attribution(seed):
    document = parse(seed_raw(seed)).document
    expected = typographic(fixture(seed)["findings"])
    assert len(document["findings"]) == len(expected)
    for index, (got, want) in enumerate(zip(document["findings"], expected, strict=True)):
        assert got == want, index


@pytest.mark.unit
@pytest.mark.parametrize("seed", SEEDS)
def test_fji_key_facts_agree_with_the_fixture(seed):
    assert parse(seed_raw(seed)).document["key_facts"] == typographic(fixture(seed)["key_facts"])


@pytest.mark.unit
def test_fji_bromley_key_facts_keep_their_comparators_and_leave_unstated_periods_null():
    facts = {f["measure"]: f for f in parse(seed_raw("bromley-2015-05")).document["key_facts"]}
    assert facts["custody_rate"] == {
        "measure": "custody_rate",
        "value": 0.61,
        "unit": "per 1,000",
        "comparator": "England and Wales",
        "comparator_value": 0.47,
        "period": None,
        "source": None,
    }
    assert (
        facts["looked_after_children_reoffending_rate"]["value"],
        facts["looked_after_children_reoffending_rate"]["comparator_value"],
    ) == (13.4, 6.2)
    assert facts["looked_after_children_reoffending_rate"]["period"] == "2013"


# --- sources ------------------------------------------------------------------------------------------------------


@pytest.mark.unit
def test_fji_swindon_sources_name_the_line_each_value_was_read_from():
    result = parse(seed_raw("swindon-2015-06"))
    expected = {
        "title": 5,
        "published": 29,
        "fieldwork_start": 512,
        "fieldwork_end": 512,
        "lead_inspector": 562,
        "cases/total": 514,
        "judgements/1/rating": 53,
        "judgements/6/rating": 73,
        "judgements/1/score_percent": 113,
        "judgements/2/score_percent": 195,
        "recommendations/1/text": 79,
        "recommendations/4/addressee": 82,
        "key_facts/reoffending_rate/value": 17,
        "key_facts/reoffending_rate/source": 31,
        "findings/0/text": 13,
        "findings/17/text": 126,
    }
    assert {path: result.sources[path].number for path in expected} == expected
    raw_lines = lines_of(seed_raw("swindon-2015-06"))
    for path, number in expected.items():
        assert result.sources[path].text == normalise_line(raw_lines[number - 1]), path
    assert "74%" in result.sources["judgements/1/score_percent"].text
    assert "(YOT manager)" in result.sources["recommendations/4/addressee"].text


@pytest.mark.unit
def test_fji_bromley_sources_of_unnumbered_recommendations_and_their_shared_addressee():
    result = parse(seed_raw("bromley-2015-05"))
    assert result.sources["recommendations/9/text"].number == 96
    assert result.sources["recommendations/9/addressee"].number == 94
    assert result.sources["recommendations/9/addressee"].text == "The Head of Youth Support should ensure that:"
    assert result.sources["lead_inspector"].number == 540
    assert result.sources["key_facts/custody_rate/value"].number == 15
    assert result.sources["key_facts/looked_after_children_reoffending_rate/value"].number == 137


# --- nothing invented -------------------------------------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize("seed", SEEDS)
def test_fji_every_null_the_text_should_give_is_a_problem_and_nothing_else_is(seed):
    result = parse(seed_raw(seed))
    problems = {problem.field for problem in result.problems}
    # The framework has no overall rating and gives governance (theme 5) no case assessment score.
    by_framework = {"overall_rating", "judgements/5/score_percent"}
    assert null_paths(result.document) - by_framework <= problems
    assert null_paths(result.document) & by_framework == by_framework
    expected = {"service/nation", "cases/court", "cases/out_of_court", "key_questions"}
    if seed == "bromley-2015-05":
        expected |= {
            "key_facts/reoffending_rate/period",
            "key_facts/reoffending_rate/source",
            "key_facts/custody_rate/period",
            "key_facts/custody_rate/source",
            "key_facts/looked_after_children_reoffending_rate/source",
        }
    assert problems == expected


# --- variations -----------------------------------------------------------------------------------------------


def rewrapped(raw: str, width: int) -> str:
    """Every line longer than `width` wrapped at `width`, as a PDF with another page size would break it."""
    out = []
    for line in lines_of(raw):
        out.extend(textwrap.wrap(line, width, break_long_words=False) if len(line) > width else [line])
    return "\n".join(out)


def curly_quoted(raw: str) -> str:
    raw = re.sub(r"(^|[\s(\[])'", "\\1\u2018", raw, flags=re.MULTILINE).replace("'", "\u2019")
    return re.sub(r'(^|[\s(\[])"', "\\1\u201c", raw, flags=re.MULTILINE).replace('"', "\u201d")


def per_cent_spelled(raw: str) -> str:
    return re.sub(r"(\d)%", r"\1 per cent", raw)


@pytest.mark.unit
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("width", [70, 45])
def test_fji_lines_wrapped_at_another_width_read_the_same(seed, width):
    raw = seed_raw(seed)
    changed = rewrapped(raw, width)
    assert changed.count("\n") > raw.count("\n") + 500
    assert parse(changed).document == parse(raw).document


@pytest.mark.unit
@pytest.mark.parametrize("seed", SEEDS)
def test_fji_per_cent_in_words_reads_as_the_percent_sign(seed):
    raw = seed_raw(seed)
    changed = per_cent_spelled(raw)
    assert "%" not in changed
    document = parse(changed).document
    assert document == parse(raw).document
    assert document["key_facts"][0]["value"] == {"swindon-2015-06": 38.6, "bromley-2015-05": 43.6}[seed]


@pytest.mark.unit
@pytest.mark.parametrize("seed", SEEDS)
def test_fji_curly_quotes_read_as_straight_ones(seed):
    raw = seed_raw(seed)
    changed = curly_quoted(raw)
    assert "\u201c" in changed and "\u2019" in changed
    assert parse(changed).document == parse(raw).document


@pytest.mark.unit
def test_fji_page_header_footer_and_number_inside_a_section_are_dropped():
    raw = seed_raw("swindon-2015-06")
    lines = lines_of(raw)
    # Theme 1 explanation paragraph 7, broken mid-sentence by a page end, and a key finding list broken too.
    paragraph = lines[140]
    assert paragraph.startswith("- 7. Case managers")
    cut = paragraph.index(" Post age 16")
    page_break = ["", "9", "", "Full Joint Inspection of Youth Offending Work in Swindon", ""]
    lines[140:141] = [paragraph[:cut], *page_break, paragraph[cut + 1 :]]
    lines[118:118] = ["Page 8 of 36", "Full Joint Inspection of Youth Offending Work in Swindon 8"]
    changed = "\n".join(lines)
    assert parse(changed).document == parse(raw).document


def without(raw: str, first: str, last: str, *, after: str = "") -> str:
    """The text with the lines from the one starting `first` to the one starting `last` (both included) removed;
    the search starts at the first line starting `after`."""
    lines = lines_of(raw)
    begin = next(i for i, line in enumerate(lines) if line.startswith(after))
    start = next(i for i, line in enumerate(lines) if i >= begin and line.startswith(first))
    end = next(i for i, line in enumerate(lines) if i >= start and line.startswith(last))
    return "\n".join(lines[:start] + lines[end + 1 :])


@pytest.mark.unit
def test_fji_lost_case_assessment_score_is_null_with_a_problem_and_nothing_else_is_lost():
    raw = seed_raw("swindon-2015-06")
    changed = without(raw, "Within the case assessment, overall 64%", "Within the case assessment, overall 64%")
    base, result = parse(raw), parse(changed)
    assert differences(base.document, result.document) == ["/judgements/2/note", "/judgements/2/score_percent"]
    assert result.document["judgements"][2]["score_percent"] is None
    [problem] = [p for p in result.problems if p.field == "judgements/3/score_percent"]
    assert problem.source.text == "Theme 3: Protecting the child or young person"
    assert {p.field for p in result.problems} - {p.field for p in base.problems} == {"judgements/3/score_percent"}


@pytest.mark.unit
def test_fji_lost_summary_paragraph_leaves_that_rating_null_and_keeps_every_other_value():
    raw = seed_raw("swindon-2015-06")
    changed = without(raw, "Protecting the public", "Overall work to protect the public", after="Summary")
    base, result = parse(raw), parse(changed)
    assert result.document["judgements"][1]["rating"] is None
    assert [p.field for p in result.problems if p.field.startswith("judgements/")] == ["judgements/2/rating"]
    expected = copy.deepcopy(base.document)
    expected["judgements"][1]["rating"] = None
    del expected["findings"][6]  # the theme 2 Summary paragraph itself
    assert result.document == expected


@pytest.mark.unit
def test_fji_lost_recommendations_are_a_problem_and_the_rest_still_reads():
    raw = seed_raw("bromley-2015-05")
    changed = without(raw, "The Chair of the YOS Management Board should", "- management oversight is effective.")
    base, result = parse(raw), parse(changed)
    assert result.document["recommendations"] == []
    [problem] = [p for p in result.problems if p.field == "recommendations"]
    assert problem.source.text == "Recommendations"
    assert differences(base.document, result.document) == ["/recommendations"]


@pytest.mark.unit
def test_fji_lost_acknowledgements_leave_the_lead_inspector_null_with_a_problem():
    raw = seed_raw("swindon-2015-06")
    changed = without(raw, "Appendix 2 - Acknowledgements", "Assistant Chief Inspector", after="Methodology")
    base, result = parse(raw), parse(changed)
    assert result.document["lead_inspector"] is None
    assert "lead_inspector" in {p.field for p in result.problems}
    assert differences(base.document, result.document) == ["/lead_inspector"]


@pytest.mark.unit
def test_fji_lost_theme_section_loses_its_score_and_findings_only():
    raw = seed_raw("bromley-2015-05")
    changed = without(
        raw,
        "Theme 6: Interventions to reduce reoffending",
        "8. We found that children",
        after="4. Learning organisation",
    )
    base, result = parse(raw), parse(changed)
    judgement = result.document["judgements"][5]
    assert (judgement["rating"], judgement["score_percent"]) == ("Poor", None)
    assert {p.field for p in result.problems} - {p.field for p in base.problems} == {
        "judgements/6/score_percent",
        "findings/theme/6",
    }
    assert result.document["findings"] == [
        f for f in base.document["findings"] if f["standard"] != "6" or f["kind"] == "summary"
    ]


# --- what other printings of the template give ------------------------------------------------------------------


def replaced(raw: str, old: str, new: str) -> str:
    assert raw.count(old) == 1, old
    return raw.replace(old, new)


BROMLEY_TABLE_RATINGS = ["Poor", "Poor", "Unsatisfactory", "Satisfactory", "Poor", "Poor"]


def with_key_judgements_table(raw: str, ratings: list[str]) -> str:
    """Bromley's Key judgements lines (31-36) with the ratings a PDF's text layer may keep after each theme."""
    lines = lines_of(raw)
    assert [line.endswith("\t") for line in lines[30:36]] == [True] * 6
    lines[30:36] = [line + rating for line, rating in zip(lines[30:36], ratings, strict=True)]
    return "\n".join(lines)


@pytest.mark.unit
def test_fji_key_judgements_table_ratings_agree_with_the_summary_and_stand_in_for_a_lost_paragraph():
    raw = with_key_judgements_table(seed_raw("bromley-2015-05"), BROMLEY_TABLE_RATINGS)
    assert parse(raw).document == parse(seed_raw("bromley-2015-05")).document
    changed = without(raw, "Protecting the public", "Overall work to protect the public", after="Summary")
    result = parse(changed)
    assert result.document["judgements"][1]["rating"] == "Poor"
    assert result.sources["judgements/2/rating"].number == 32
    assert "judgements/2/rating" not in {p.field for p in result.problems}


@pytest.mark.unit
def test_fji_key_judgements_table_that_contradicts_the_summary_leaves_the_rating_null():
    ratings = ["Good", *BROMLEY_TABLE_RATINGS[1:]]
    result = parse(with_key_judgements_table(seed_raw("bromley-2015-05"), ratings))
    assert result.document["judgements"][0]["rating"] is None
    [problem] = [p for p in result.problems if p.field == "judgements/1/rating"]
    assert problem.reason == "the Summary says Poor but the Key judgements table says Good: check the report"
    assert problem.source.number == 42
    assert [j["rating"] for j in result.document["judgements"][1:]] == BROMLEY_TABLE_RATINGS[1:]


@pytest.mark.unit
def test_fji_judgement_stated_inside_the_summary_sentence_is_read():
    raw = replaced(
        seed_raw("swindon-2015-06"),
        "was served was good. The YOT's key asset was its staff.",
        "was served was good, and the YOT's key asset was its staff.",
    )
    assert parse(raw).document["judgements"][3]["rating"] == "Good"


@pytest.mark.unit
def test_fji_numbered_recommendation_opening_with_its_addressee_is_read_and_one_without_is_a_problem():
    raw = replaced(
        seed_raw("swindon-2015-06"),
        "- 2. governance arrangements, at all levels, should provide appropriate support, scrutiny and challenge to "
        "the YOT's work and outcomes (Chair of YOT Management Board)",
        "- 2. The Chair of the YOT Management Board should ensure that governance arrangements, at all levels, "
        "provide appropriate support, scrutiny and challenge to the YOT's work and outcomes.",
    )
    raw = replaced(
        raw,
        "children looked after by the local authority (Chair of YOT Management Board)",
        "children looked after by the local authority",
    )
    result = parse(raw)
    second, third = result.document["recommendations"][1:3]
    assert second == {
        "number": 2,
        "addressee": "The Chair of the YOT Management Board",
        "text": "ensure that governance arrangements, at all levels, provide appropriate support, scrutiny and "
        "challenge to the YOT's work and outcomes.",
    }
    assert result.sources["recommendations/2/addressee"].number == 80
    assert third["addressee"] is None
    [problem] = [p for p in result.problems if p.field == "recommendations/3/addressee"]
    assert problem.source.number == 81


@pytest.mark.unit
def test_fji_last_fieldwork_week_running_into_the_next_month_leaves_fieldwork_end_null():
    raw = replaced(
        seed_raw("swindon-2015-06"), "02 March 2015 and 16 March 2015.", "16 March 2015 and 30th March 2015."
    )
    result = parse(raw)
    assert (result.document["fieldwork_start"], result.document["fieldwork_end"]) == ("2015-03-16", None)
    [problem] = [p for p in result.problems if p.field == "fieldwork_end"]
    assert problem.source.number == 512


@pytest.mark.unit
def test_fji_service_acronym_read_through_ocr_and_expanded_as_the_report_defines_it():
    raw = seed_raw("swindon-2015-06").replace("Swindon YOT", "Swindon Y]S")
    raw = replaced(raw, "a Youth Offending Team's (YOT's)", "a Youth Justice Service's (YJS's)")
    assert parse(raw).document["service"]["name"] == "Swindon Youth Justice Service"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("seed", "paragraph_start", "break_before"),
    [
        # After a semicolon, with the rest of the sentence in lower case.
        ("swindon-2015-06", "- 1. The YOT was responsible, in 33", " in less than 50%."),
        # Inside a sentence, before a capital: the words before the break are not a heading.
        ("swindon-2015-06", "- 3.3. Protocols and memorandums", " Child and Adolescent Mental Health"),
        # At a sentence's end inside a numbered explanation paragraph.
        ("swindon-2015-06", "- 3.3. Protocols and memorandums", " These were all in need"),
        # Inside a notable practice box.
        ("bromley-2015-05", "Pam was subject to a Youth Rehabilitation Order", " She had a very difficult"),
        # Inside a Summary paragraph that states a judgement.
        ("bromley-2015-05", "Overall work to protect children and young people", " Too often, case managers"),
    ],
)
def test_fji_page_break_mid_paragraph_of_a_narrow_wrapped_text_reads_the_same(seed, paragraph_start, break_before):
    raw = seed_raw(seed)
    lines = lines_of(raw)
    [index] = [i for i, line in enumerate(lines) if line.startswith(paragraph_start)]
    cut = lines[index].index(break_before)
    lines[index : index + 1] = [lines[index][:cut], "@@page@@", lines[index][cut + 1 :]]
    # Wrapped first: a page's header and footer are set on their own lines, whatever the width of the text.
    furniture = f"\n\n{parse(raw).document['title']} 11\n\nPage 12\n\n"
    changed = rewrapped("\n".join(lines), 45).replace("\n@@page@@\n", furniture)
    assert "Page 12" in changed
    assert parse(changed).document == parse(raw).document


@pytest.mark.unit
def test_fji_quotation_broken_by_a_page_break_stays_one_quote():
    raw = seed_raw("bromley-2015-05")
    lines = lines_of(raw)
    [index] = [i for i, line in enumerate(lines) if line.startswith("\"They've given me loads of support.")]
    cut = lines[index].index(" So I started.")
    lines[index : index + 1] = [lines[index][:cut], "", "Page 9", "", lines[index][cut + 1 :]]
    changed = "\n".join(lines)
    assert parse(changed).document == parse(raw).document


def headings_set_tight(raw: str, is_heading) -> str:
    """The text with the blank lines around each heading removed, as a PDF's text layer may set them."""
    lines = lines_of(raw)
    tight = [is_heading(normalise_line(line).replace("**", "").lstrip("# ")) for line in lines]
    kept = []
    for index, line in enumerate(lines):
        if not line.strip():
            before = next((tight[i] for i in range(index - 1, -1, -1) if lines[i].strip()), False)
            after = next((tight[i] for i in range(index + 1, len(lines)) if lines[i].strip()), False)
            if before or after:
                continue
        kept.append(line)
    return "\n".join(kept)


@pytest.mark.unit
@pytest.mark.parametrize("seed", SEEDS)
def test_fji_headings_set_without_blank_lines_around_them_read_the_same(seed):
    raw = seed_raw(seed)
    changed = headings_set_tight(raw, fji2015.is_heading)
    assert "\nKey Findings\n1. " in changed or "\nKey Findings\n- 1. " in changed
    assert parse(changed).document == parse(raw).document


@pytest.mark.integration
@pytest.mark.parametrize("seed", SEEDS)
def test_fji_draft_passes_the_loaders_document_check_once_the_nation_is_entered(frameworks, seed):
    document = parse(seed_raw(seed)).document
    document["service"]["nation"] = "England"
    canonical = document_check(document, source=f"{seed}.txt", catalogues=framework_catalogues())
    assert canonical["status"] == "draft"
    assert [j["rating"] for j in canonical["judgements"]] == [j["rating"] for j in fixture(seed)["judgements"]]
    assert len(canonical["findings"]) == len(fixture(seed)["findings"])
