"""The importer's tests: the seed texts, and the agreement figures printed at the end of every run.

`test_agreement.py` records each seed's figure with `record_property("agreement", ...)`; the summary below prints
them whether or not pytest captures output (`-s` or not), so a CI log always shows how far each import agrees.
"""

from pathlib import Path

import pytest

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
