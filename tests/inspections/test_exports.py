"""CSV formula injection: a cell a spreadsheet would run as a formula is written as text, in every column."""

import csv
import io
import json

import pytest

from inspections.exports import neutralise
from inspections.models import Inspection, LocalAuthority, Service
from tests.hostile.conftest import body

# What a spreadsheet reads as the start of a formula (= + - @) or of a hidden one (a tab or carriage return first).
FORMULAS = {
    "bromley": '=HYPERLINK("http://evil.example","Click")',
    "northamptonshire": "+SUM(1,2)",
    "swindon": "-2+3+cmd|' /C calc'!A0",
    "warwickshire": "@SUM(A1:A9)",
    "western-bay": "\t=1+1",
}


@pytest.mark.unit
@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Swindon = 1", "Swindon = 1"),
        ("", ""),
        (None, None),
        (3, 3),
    ],
)
def test_neutralise_prefixes_only_a_formula_start(cell, written):
    assert neutralise(cell) == written


@pytest.mark.integration
def test_every_csv_cell_that_starts_a_formula_is_written_as_text(client, reports):
    for slug, name in FORMULAS.items():
        Service.objects.filter(slug=slug).update(name=name)
    LocalAuthority.objects.filter(name="Swindon").update(name="\rcmd")
    response = client.get("/services/", {"format": "csv"})
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(body(response).decode("utf-8"), newline=""))}
    assert {slug: row["service"] for slug, row in rows.items()} == {slug: "'" + name for slug, name in FORMULAS.items()}
    assert rows["swindon"]["local_authorities"] == "'\rcmd"
    # The other columns are untouched.
    assert rows["western-bay"]["overall_rating"] == "Inadequate"
    assert rows["western-bay"]["date"] == "2019-03"


@pytest.mark.integration
def test_the_json_export_keeps_the_text_as_it_is(client, reports):
    """JSON is data, not a spreadsheet: the same names come back exactly."""
    for slug, name in FORMULAS.items():
        Service.objects.filter(slug=slug).update(name=name)
    rows = json.loads(body(client.get("/services/", {"format": "json"})))
    assert {row["slug"]: row["service"] for row in rows} == FORMULAS
    assert Inspection.objects.count() == 5
