"""The importer's tests: the seed texts, and the agreement figures printed at the end of every run.

`test_agreement.py` records each seed's figure with `record_property("agreement", ...)`; the summary below prints
them whether or not pytest captures output (`-s` or not), so a CI log always shows how far each import agrees.
"""

from pathlib import Path

import pytest
from fpdf import FPDF

from inspections.importing.text import normalise_line
from tests.conftest import FIXTURES

SEEDS = [
    "bromley-2015-05",
    "northamptonshire-2015-05",
    "swindon-2015-06",
    "warwickshire-2018-10",
    "western-bay-2019-03",
]


def seed_text(name: str) -> str:
    return (FIXTURES / "report-texts" / f"{name}.txt").read_text(encoding="utf-8")


def seed_path(name: str) -> Path:
    return FIXTURES / "report-texts" / f"{name}.txt"


def pdf_text(text: str) -> str:
    """The text a test PDF can hold: the PDF's core font has Latin-1 only, so lines are normalised first
    (straight quotes, hyphens: what the importer does anyway) and any other character becomes "?"."""
    return "\n".join(normalise_line(line).encode("latin-1", "replace").decode("latin-1") for line in text.splitlines())


def report_pdf(text: str, *, lines_per_page: int = 90) -> bytes:
    """A PDF with a text layer holding `text` one line per line (pages wide enough that no line wraps)."""
    pdf = FPDF(orientation="L", unit="mm", format=(300, 2400))
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=6)
    for number, line in enumerate(pdf_text(text).splitlines()):
        if number % lines_per_page == 0:
            pdf.add_page()
        pdf.cell(0, 3, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def image_only_pdf() -> bytes:
    """A PDF as a scanner makes it: pages of drawing, no text layer."""
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    figures = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for name, value in getattr(report, "user_properties", [])
        if name == "agreement"
    ]
    if figures:
        terminalreporter.section("importer agreement with the curated fixtures")
        for figure in sorted(figures):
            terminalreporter.write_line(figure)
