"""The SQS 2015 parser against the Northamptonshire seed text and its curated fixture.

Exact agreement with the fixture, the source lines of a few values, nothing invented; then the text changed the
ways real reports differ (wrapping, `per cent`, curly quotes, page furniture inside a section, a section lost). A
last test checks the draft against the loader's own document check.
"""

import json

import pytest

from inspections.documents import document_check
from inspections.importing.agreement import agreement
from inspections.importing.formats import sqs2015
from inspections.importing.text import ReportText, normalise_line
from ratings.selectors import framework_catalogues
from tests.conftest import FIXTURES
from tests.inspections.importing.test_fji2015 import (
    curly_quoted,
    differences,
    headings_set_tight,
    lines_of,
    null_paths,
    per_cent_spelled,
    rewrapped,
    typographic,
    without,
)

SEED = "northamptonshire-2015-05"


def seed_raw() -> str:
    return (FIXTURES / "report-texts" / f"{SEED}.txt").read_text(encoding="utf-8")


def fixture() -> dict:
    return json.loads((FIXTURES / "reports" / f"{SEED}.json").read_text(encoding="utf-8"))


def parse(raw: str):
    return sqs2015.parse(ReportText(raw))


@pytest.mark.unit
def test_sqs_every_field_agrees_with_the_fixture():
    document = parse(seed_raw()).document
    expected = fixture()
    assert document["framework"] == "sqs-2015"
    assert document["status"] == "draft"
    for key in (
        "title",
        "published",
        "fieldwork_start",
        "fieldwork_end",
        "lead_inspector",
        "cases",
        "overall_rating",
        "judgements",
        "key_questions",
        "recommendations",
    ):
        assert document[key] == expected[key], key
    assert document["service"] == {**expected["service"], "nation": None}
    assert document["key_facts"] == typographic(expected["key_facts"])
    assert len(document["findings"]) == len(expected["findings"]) == 29
    for index, (got, want) in enumerate(zip(document["findings"], typographic(expected["findings"]), strict=True)):
        assert got == want, index
    result = agreement(document, expected)
    assert (result.mismatches, result.figure) == ([], "1/1")


@pytest.mark.unit
def test_sqs_values_are_the_reports_own():
    document = parse(seed_raw()).document
    assert (document["published"], document["fieldwork_start"], document["fieldwork_end"]) == (
        "2015-05-11",
        "2015-03-09",
        "2015-03-11",
    )
    assert document["lead_inspector"] == "Caroline Nicklin"
    assert document["service"]["name"] == "Northamptonshire Youth Offending Service"
    assert [(f["kind"], f["standard"]) for f in document["findings"]].count(("explanation", "5")) == 2
    assert [f["text"] for f in document["findings"] if f["kind"] == "area_for_improvement"] == [
        "Case managers should be more receptive to changes in circumstances so that reviews of assessments and "
        "plans are undertaken when required, and are fully effective.",
        "Management oversight should ensure the timeliness, quality and effectiveness of reviews.",
    ]
    [fact] = document["key_facts"]
    assert (fact["value"], fact["comparator"], fact["comparator_value"], fact["period"]) == (
        38.0,
        "England and Wales",
        36.1,
        "April 2012 - March 2013 cohort",
    )
    assert fact["source"] == (
        "Published January 2015 based on binary reoffending rates after 12 months for the April 2012 - March 2013 "
        "cohort. Source: Ministry of Justice"
    )


@pytest.mark.unit
def test_sqs_sources_name_the_line_each_value_was_read_from():
    result = parse(seed_raw())
    expected = {
        "title": 8,
        "published": 6,
        "fieldwork_start": 10,
        "fieldwork_end": 10,
        "lead_inspector": 86,
        "cases/total": 14,
        "service/name": 14,
        "key_facts/reoffending_rate/value": 18,
        "key_facts/reoffending_rate/comparator_value": 18,
        "key_facts/reoffending_rate/source": 28,
        "findings/0/text": 14,
        "findings/13/text": 46,  # 2.3, which a blank line splits in two (lines 46 and 48)
        "findings/23/text": 74,
    }
    assert {path: result.sources[path].number for path in expected} == expected
    raw_lines = lines_of(seed_raw())
    for path, number in expected.items():
        assert result.sources[path].text == normalise_line(raw_lines[number - 1]), path
    assert result.document["findings"][13]["text"].endswith(
        "which were not considered properly when undertaking reviews."
    )


@pytest.mark.unit
def test_sqs_every_null_the_text_should_give_is_a_problem_and_nothing_else_is():
    result = parse(seed_raw())
    problems = {problem.field for problem in result.problems}
    assert null_paths(result.document) - {"overall_rating"} <= problems
    assert problems == {"service/nation", "cases/court", "cases/out_of_court"}


@pytest.mark.unit
@pytest.mark.parametrize("width", [70, 45])
def test_sqs_lines_wrapped_at_another_width_read_the_same(width):
    raw = seed_raw()
    changed = rewrapped(raw, width)
    assert changed.count("\n") > raw.count("\n") + 60
    assert parse(changed).document == parse(raw).document


@pytest.mark.unit
def test_sqs_per_cent_in_words_and_curly_quotes_read_the_same():
    raw = seed_raw()
    assert parse(per_cent_spelled(raw)).document == parse(raw).document
    assert parse(curly_quoted(raw)).document == parse(raw).document


@pytest.mark.unit
def test_sqs_page_footer_and_header_inside_a_theme_are_dropped():
    raw = seed_raw()
    lines = lines_of(raw)
    assert lines[45].startswith("- 2.3. However, one-quarter of reviews")
    title = "Report of Short Quality Screening (SQS) of youth offending work in Northamptonshire"
    # The seed's own page break inside 2.3 (lines 46-48), given the footer and header a PDF page would print.
    lines[46:47] = ["", "Page 2 of 4", "", title, ""]
    # And one at a sentence's end inside 1.2, and one inside 4.1 with the header and footer between blank lines.
    sentence_end = lines[33].index(" One inspector noted")
    lines[33:34] = [lines[33][:sentence_end], "3", title, lines[33][sentence_end + 1 :]]
    [index] = [i for i, line in enumerate(lines) if line.startswith("- 4.1. We found a high level")]
    sentence_end = lines[index].index(" Case managers knew")
    lines[index : index + 1] = [lines[index][:sentence_end], "", "4", "", title, "", lines[index][sentence_end + 1 :]]
    assert parse("\n".join(lines)).document == parse(raw).document


@pytest.mark.unit
def test_sqs_lost_key_strengths_are_a_problem_and_nothing_else_is_lost():
    raw = seed_raw()
    changed = without(raw, "### **Key strengths**", "- Case managers planned well")
    base, result = parse(raw), parse(changed)
    assert [f for f in result.document["findings"] if f["kind"] == "strength"] == []
    assert result.document["findings"] == [f for f in base.document["findings"] if f["kind"] != "strength"]
    assert {p.field for p in result.problems} - {p.field for p in base.problems} == {"findings/strength"}


@pytest.mark.unit
def test_sqs_lost_memo_header_leaves_the_publication_date_null_with_a_problem():
    raw = seed_raw()
    changed = without(raw, "<i>To:</i>", "<i>Publication date:</i>")
    base, result = parse(raw), parse(changed)
    [problem] = [p for p in result.problems if p.field == "published"]
    assert "Publication date" in problem.reason
    assert differences(base.document, result.document) == ["/published"]


@pytest.mark.unit
def test_sqs_lost_theme_commentary_loses_its_paragraphs_only():
    raw = seed_raw()
    changed = without(raw, "### **3. Protecting the child or young person**", "- 3.3. The effectiveness")
    base, result = parse(raw), parse(changed)
    assert result.document["findings"] == [f for f in base.document["findings"] if f["standard"] != "3"]
    assert {p.field for p in result.problems} - {p.field for p in base.problems} == {"findings/theme/3"}
    assert differences(base.document, result.document) == ["/findings"]


@pytest.mark.integration
def test_sqs_draft_passes_the_loaders_document_check_once_the_nation_is_entered(frameworks):
    document = parse(seed_raw()).document
    document["service"]["nation"] = "England"
    canonical = document_check(document, source=f"{SEED}.txt", catalogues=framework_catalogues())
    assert canonical["status"] == "draft"
    assert len(canonical["findings"]) == 29


@pytest.mark.unit
def test_sqs_month_only_publication_date_and_fieldwork_across_two_months():
    raw = seed_raw().replace("<i>Publication date:</i>\t11 May 2015", "<i>Publication date:</i>\tMay 2015")
    raw = raw.replace("conducted from 09 – 11 March 2015", "conducted from 30 March – 1st April 2015")
    document = parse(raw).document
    assert (document["published"], document["fieldwork_start"], document["fieldwork_end"]) == (
        "2015-05",
        "2015-03-30",
        "2015-04-01",
    )


@pytest.mark.unit
def test_sqs_headings_set_without_blank_lines_around_them_read_the_same():
    raw = seed_raw()
    changed = headings_set_tight(raw, sqs2015.is_heading)
    assert "### **Key strengths**\n- PSRs" in changed
    assert parse(changed).document == parse(raw).document
