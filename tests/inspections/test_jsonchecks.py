"""The JSON checker's refusals of values no row may hold and of dates that only look like dates."""

import pytest

from inspections.jsonchecks import Checker

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("Swindon\x00", "holds a NUL character at position 7"),
        ("\ud800 text", "holds a lone surrogate (not a character) at position 0"),
    ],
)
def test_a_string_no_database_can_store_is_refused(value, problem):
    check = Checker()
    assert check.string(value, "$.title") is None
    assert check.problems == [("$.title", problem)]


def test_ordinary_unicode_text_is_accepted():
    check = Checker()
    assert check.string("Ynys Môn — “good” 🙂", "$.title") == "Ynys Môn — “good” 🙂"
    assert check.problems == []


@pytest.mark.parametrize("value", ["\u0662\u0660\u0661\u0665-\u0660\u0665", "２０１５-０５", "2015-05\n", "2015-05-1"])
def test_a_date_must_be_ascii_digits_and_nothing_more(value):
    check = Checker()
    assert check.partial_date(value, "$.published") is None
    assert check.problems == [("$.published", f"must be a date as YYYY-MM-DD or YYYY-MM, not {value!r}")]


def test_a_slug_with_a_trailing_newline_is_refused():
    check = Checker()
    assert check.slug("swindon\n", "$.service.slug", max_length=50) is None
    assert check.problems == [("$.service.slug", "'swindon\\n' must be lower-case letters and digits joined by - or _")]
