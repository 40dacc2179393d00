"""The report as numbered lines, with the character-level noise every format shares taken out.

Format parsers work on `ReportText.lines`; each line keeps its number in the original file so that every value the
importer reads can be shown beside its source.
"""

from __future__ import annotations

import re

from inspections.importing.result import SourceLine

_CHARACTER_FIXES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
        "\u2013": "-",
        "\u2014": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u00ad": None,  # soft hyphen
        "\ufeff": None,  # byte-order mark
    }
)
_PER_CENT = re.compile(r"(\d)\s*per\s*cent(?![A-Za-z])", re.IGNORECASE)
_SPACES = re.compile(r"[ \t]+")


def normalise_line(text: str) -> str:
    """Straight quotes and hyphens, `per cent` as `%`, single spaces. Wording is otherwise untouched."""
    text = text.translate(_CHARACTER_FIXES)
    text = _PER_CENT.sub(r"\1%", text)
    return _SPACES.sub(" ", text).strip()


class ReportText:
    """A report's text split into normalised, numbered lines (blank lines kept, so numbers match the file)."""

    def __init__(self, raw: str):
        self.raw = raw
        self.lines = [SourceLine(number, normalise_line(text)) for number, text in enumerate(raw.splitlines(), 1)]

    def non_blank(self) -> list[SourceLine]:
        return [line for line in self.lines if line.text]
