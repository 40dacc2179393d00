import pytest

from inspections.importing.text import ReportText, normalise_line

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("38.6 per cent of cases", "38.6% of cases"),
        ("38.6 per cent\u00b9 of cases", "38.6%\u00b9 of cases"),
        ("38.6 per cent<sup>1</sup>", "38.6%<sup>1</sup>"),
        ("70 Per Cent.", "70%."),
        ("a 5 per centre", "a 5 per centre"),
        ("the \u2018YOS\u2019 said \u201cno\u201d", "the 'YOS' said \"no\""),
        ("  spaced\u00a0\t out  ", "spaced out"),
        ("co\u00adoperation \u2013 with", "cooperation - with"),
    ],
)
def test_normalise_line_takes_out_shared_character_noise(raw, expected):
    assert normalise_line(raw) == expected


def test_report_text_keeps_the_file_line_numbers_across_blank_lines():
    text = ReportText("First\n\n  Third  \n")
    assert [(line.number, line.text) for line in text.lines] == [(1, "First"), (2, ""), (3, "Third")]
    assert [line.number for line in text.non_blank()] == [1, 3]
