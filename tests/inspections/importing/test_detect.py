"""Recognising a report's format from its own markers, and refusing a text that is not such a report."""

import pytest

from inspections.importing.detect import FJI_2015, SQS_2015, STANDARDS_2018, report_format
from inspections.importing.errors import ImportUnreadable
from inspections.importing.text import ReportText
from tests.inspections.importing.conftest import seed_text

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        ("bromley-2015-05", FJI_2015),
        ("swindon-2015-06", FJI_2015),
        ("northamptonshire-2015-05", SQS_2015),
        ("western-bay-2019-03", STANDARDS_2018),
        # Its cover page was lost to OCR: recognised by its headings and key questions.
        ("warwickshire-2018-10", STANDARDS_2018),
    ],
)
def test_report_format_of_each_seed(seed, expected):
    assert report_format(ReportText(seed_text(seed))) == expected


def test_report_format_from_headings_when_the_title_page_is_lost():
    lines = seed_text("swindon-2015-06").splitlines()
    without_title = [line for line in lines if "Full Joint Inspection" not in line]
    assert len(without_title) < len(lines)
    assert report_format(ReportText("\n".join(without_title))) == FJI_2015


def test_report_format_keeps_the_title_when_a_later_page_names_another_format():
    text = seed_text("western-bay-2019-03") + "\nOur last full joint inspection of youth offending work in 2014.\n"
    assert report_format(ReportText(text)) == STANDARDS_2018


def test_report_format_refuses_a_text_that_is_not_about_youth_work():
    adult = (
        "An inspection of probation services in Kent\nOrganisational delivery\nGovernance and leadership\n"
        "Does assessment sufficiently analyse how to support the individual's desistance?\nRequires improvement\n"
    )
    with pytest.raises(ImportUnreadable) as refused:
        report_format(ReportText(adult))
    assert str(refused.value) == (
        "this is not an HMIP youth inspection report: it never mentions youth offending or youth justice work"
    )


def test_report_format_refuses_a_youth_document_of_another_kind():
    minutes = "Minutes of the Youth Offending Service Management Board\nPresent: the chair\nItem 1: budget\n"
    with pytest.raises(ImportUnreadable) as refused:
        report_format(ReportText(minutes))
    assert str(refused.value) == (
        "this is not an HMIP youth inspection report in a format the importer reads (Full Joint Inspection "
        "(2015), Short Quality Screening (2015), 2018 standards): none of their titles or headings was found"
    )


def test_report_format_refuses_a_text_with_two_formats_markers_equally():
    mixed = (
        "Youth offending work\nTheme 1: Reducing reoffending\nEnsuring that the sentence is served\n"
        "Organisational delivery\nOut-of-court disposals\n"
    )
    with pytest.raises(ImportUnreadable) as refused:
        report_format(ReportText(mixed))
    assert str(refused.value) == (
        "the text has the markers of more than one report format (Full Joint Inspection (2015) and "
        "2018 standards): it cannot be read"
    )


def test_report_format_refuses_blank_text():
    with pytest.raises(ImportUnreadable, match="^the file has no text$"):
        report_format(ReportText("\n  \n\t\n"))
