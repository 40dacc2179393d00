"""The inspection page's HTML written in Python (inspections/admin_html.py) is the HTML Django's widgets write.

The page-level tests (tests/inspections/test_admin.py) compare whole pages; these compare each widget on its own,
with values a page may not happen to hold: a value no choice has, markup in a label, a choice repeated row after
row (a select's options are written once for each choice and kept)."""

import datetime
from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib.admin.widgets import AdminDateWidget

from inspections.admin_html import (
    PlainAdminDateInput,
    PlainCheckboxInput,
    PlainHiddenInput,
    PlainNumberInput,
    PlainSelect,
    PlainTextarea,
    PlainTextInput,
    SharedChoices,
    select_html,
)

pytestmark = pytest.mark.unit


class Canonical(HTMLParser):
    """Tags with their attributes in name order, and text; whitespace between tags left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        self.parts.append(("start", tag, tuple(sorted(attrs))))

    def handle_endtag(self, tag):
        self.parts.append(("end", tag))

    def handle_data(self, data):
        if data.strip():
            self.parts.append(("text", data.strip()))


def canonical(html: str) -> list:
    parser = Canonical()
    parser.feed(str(html))
    return parser.parts


CHOICES = [("", "---------"), (1, "One & <two>"), (2, "Two"), ("x", 'Ex "quoted"')]


@pytest.mark.parametrize("value", [None, "", 1, "1", 2, "x", 99])
def test_a_select_with_shared_choices_writes_what_djangos_writes_for_each_value(value):
    shared = PlainSelect(choices=SharedChoices(CHOICES), attrs={"class": "small"})
    django = forms.Select(choices=CHOICES, attrs={"class": "small"})
    attrs = {"id": "id_rows-0-kind"}
    # The same value twice, and others between: the options are written once for each value and kept.
    for _ in range(2):
        for other in (None, 2, value):
            written = shared.render("rows-0-kind", other, attrs)
            assert canonical(written) == canonical(django.render("rows-0-kind", other, attrs)), other
    assert written.count(" selected") == (0 if value == 99 else 1)  # None and "" choose the empty choice
    assert "One &amp; &lt;two&gt;" in written


def test_a_select_of_its_own_choices_and_groups_is_djangos_template_whitespace_and_all():
    choices = [("Plain", [(1, "One"), (2, "Two")]), (3, "<Three>")]
    django = forms.Select(choices=choices)
    for value in (None, 2, 3):
        context = django.get_context("name", value, {"id": "id_name", "data-x": "a&b"})["widget"]
        assert select_html(context) == django.render("name", value, {"id": "id_name", "data-x": "a&b"})


@pytest.mark.parametrize(
    ("plain", "django", "value"),
    [
        (PlainTextInput, forms.TextInput, 'O\'Neil & "Co" <b>'),
        (PlainTextInput, forms.TextInput, None),
        (PlainNumberInput, forms.NumberInput, 42),
        (PlainHiddenInput, forms.HiddenInput, 7),
        (PlainTextarea, forms.Textarea, "Line one\nline <two>"),
        (PlainTextarea, forms.Textarea, None),
        (PlainCheckboxInput, forms.CheckboxInput, True),
        (PlainCheckboxInput, forms.CheckboxInput, False),
        (PlainAdminDateInput, AdminDateWidget, datetime.date(2019, 3, 1)),
        (PlainAdminDateInput, AdminDateWidget, "31/02/2019"),
        (PlainAdminDateInput, AdminDateWidget, None),
    ],
)
def test_an_input_written_in_python_is_djangos(plain, django, value):
    attrs = {"id": "id_rows-3-field", "required": True}
    assert canonical(plain().render("rows-3-field", value, attrs)) == canonical(
        django().render("rows-3-field", value, attrs)
    )
